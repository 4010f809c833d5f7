-- Growth accounting per club and ISO week (Monday start): each person active in a week is new (first active week
-- ever), returning (also active the week before) or resurrecting (inactive the week before, active earlier); a
-- person active the week before but not this week is dormant.
with user_weeks as (

    select distinct org_id, user_id, {{ week_start('activity_date') }} as week_start
    from {{ ref('int_usage_activities') }}
    where activity_date <= {{ usage_as_of() }}

),

firsts as (

    select org_id, user_id, min(week_start) as first_week
    from user_weeks
    group by org_id, user_id

),

active as (

    select
        this_week.org_id,
        this_week.week_start,
        case
            when this_week.week_start = firsts.first_week then 'new'
            when last_week.user_id is not null then 'returning'
            else 'resurrecting'
        end as lifecycle_state
    from user_weeks as this_week
    inner join firsts on this_week.org_id = firsts.org_id and this_week.user_id = firsts.user_id
    left join user_weeks as last_week
        on this_week.org_id = last_week.org_id
        and this_week.user_id = last_week.user_id
        and last_week.week_start = this_week.week_start - 7

),

dormant as (

    select last_week.org_id, last_week.week_start + 7 as week_start, 'dormant' as lifecycle_state
    from user_weeks as last_week
    left join user_weeks as this_week
        on this_week.org_id = last_week.org_id
        and this_week.user_id = last_week.user_id
        and this_week.week_start = last_week.week_start + 7
    where this_week.user_id is null
        and last_week.week_start + 7 <= {{ week_start(usage_as_of()) }}

),

states as (

    select * from active
    union all
    select * from dormant

)

select
    cast(org_id || '|' || cast(week_start as varchar) as varchar) as usage_week_id,
    cast(org_id as varchar) as org_id,
    cast(week_start as date) as week_start,
    cast(count(case when lifecycle_state = 'new' then 1 end) as integer) as new_users,
    cast(count(case when lifecycle_state = 'returning' then 1 end) as integer) as returning_users,
    cast(count(case when lifecycle_state = 'resurrecting' then 1 end) as integer) as resurrecting_users,
    cast(count(case when lifecycle_state = 'dormant' then 1 end) as integer) as dormant_users,
    cast(count(case when lifecycle_state <> 'dormant' then 1 end) as integer) as active_users
from states
group by org_id, week_start
