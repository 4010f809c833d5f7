-- Every member of a club with their last sign-in and how often they signed in over the 28 days to the as-of day.
with sign_ins as (

    select
        org_id,
        user_id,
        max(occurred_at) as last_signed_in_at,
        count(
            case when cast(occurred_at as date) > {{ usage_as_of() }} - 28 then 1 end
        ) as sign_ins_last_28_days
    from {{ ref('stg_users__session_signed_in') }}
    where cast(occurred_at as date) <= {{ usage_as_of() }}
    group by org_id, user_id

)

select
    cast(members.player_id as varchar) as user_id,
    cast(members.org_id as varchar) as org_id,
    cast(members.player_name as varchar) as member_name,
    cast(coalesce(roles.primary_role, 'member') as varchar) as primary_role,
    cast(sign_ins.last_signed_in_at as timestamp with time zone) as last_signed_in_at,
    cast(coalesce(sign_ins.sign_ins_last_28_days, 0) as integer) as sign_ins_last_28_days
from {{ ref('dim_players') }} as members
left join sign_ins on members.org_id = sign_ins.org_id and members.player_id = sign_ins.user_id
left join {{ ref('int_usage_member_roles') }} as roles
    on members.org_id = roles.org_id and members.player_id = roles.user_id
where members.is_active
