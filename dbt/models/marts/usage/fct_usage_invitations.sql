-- Every invitation link and where it stands on the as-of day: accepted (the person signed in by accepting it before
-- a newer link replaced it), expired (its last day passed, or a newer link replaced it) or pending.
with invitations as (

    select
        org_id,
        invitation_id,
        user_id,
        occurred_at as sent_at,
        expires_on,
        lead(occurred_at) over (partition by org_id, user_id order by occurred_at, event_id) as replaced_at
    from {{ ref('stg_users__invitation_created') }}

),

acceptances as (

    select org_id, user_id, occurred_at as accepted_at
    from {{ ref('stg_users__session_signed_in') }}
    where sign_in_method = 'invitation'

),

matched as (

    select
        invitations.org_id,
        invitations.invitation_id,
        invitations.user_id,
        invitations.sent_at,
        invitations.expires_on,
        invitations.replaced_at,
        min(acceptances.accepted_at) as accepted_at
    from invitations
    left join acceptances
        on invitations.org_id = acceptances.org_id
        and invitations.user_id = acceptances.user_id
        and acceptances.accepted_at >= invitations.sent_at
        and (invitations.replaced_at is null or acceptances.accepted_at < invitations.replaced_at)
    group by
        invitations.org_id,
        invitations.invitation_id,
        invitations.user_id,
        invitations.sent_at,
        invitations.expires_on,
        invitations.replaced_at

)

select
    cast(invitation_id as varchar) as invitation_id,
    cast(org_id as varchar) as org_id,
    cast(user_id as varchar) as user_id,
    cast(sent_at as timestamp with time zone) as sent_at,
    cast(expires_on as date) as expires_on,
    cast(accepted_at as timestamp with time zone) as accepted_at,
    cast(
        case
            when accepted_at is not null then 'accepted'
            when replaced_at is not null or expires_on < {{ usage_as_of() }} then 'expired'
            else 'pending'
        end as varchar
    ) as invitation_status
from matched
