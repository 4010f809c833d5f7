-- Each member's role for usage by role: the first (see the role_rank macro) of every role they hold now: club-wide
-- roles from their latest profile, team roles from their current memberships, and the roles of their latest
-- sign-in. A person with several roles is counted once.
with roles as (

    select 'platform_admin' as role
    union all select 'club_admin'
    union all select 'medical_staff'
    union all select 'physical_trainer'
    union all select 'coach'
    union all select 'parent'
    union all select 'player'

),

profiles as (

    select org_id, user_id, org_roles_json as roles_json
    from (
        select
            org_id,
            user_id,
            org_roles_json,
            row_number() over (partition by org_id, user_id order by occurred_at desc, event_id desc) as recency_rank
        from (
            select org_id, user_id, org_roles_json, occurred_at, event_id from {{ ref('stg_users__user_created') }}
            union all
            select org_id, user_id, org_roles_json, occurred_at, event_id from {{ ref('stg_users__user_updated') }}
        ) as changes
    ) as ranked
    where recency_rank = 1

),

latest_sign_ins as (

    select org_id, user_id, roles_json
    from (
        select
            org_id,
            user_id,
            roles_json,
            row_number() over (partition by org_id, user_id order by occurred_at desc, event_id desc) as recency_rank
        from {{ ref('stg_users__session_signed_in') }}
    ) as ranked
    where recency_rank = 1

),

held as (

    select listed.org_id, listed.user_id, roles.role
    from (select * from profiles union all select * from latest_sign_ins) as listed
    inner join roles on listed.roles_json like '%"' || roles.role || '"%'
    union all
    select org_id, user_id, role
    from {{ ref('int_team_memberships_spanned') }}
    where is_current

),

ranked_roles as (

    select
        org_id,
        user_id,
        role,
        row_number() over (partition by org_id, user_id order by {{ role_rank('role') }}, role) as role_order
    from held

)

select
    cast(org_id as varchar) as org_id,
    cast(user_id as varchar) as user_id,
    cast(role as varchar) as primary_role
from ranked_roles
where role_order = 1
