-- Active users per day over 1, 7 and 28-day windows ending that day, as distinct people (never a sum of daily
-- counts: someone active on 3 days of a week is one weekly active user). Each club is counted whole ('club'), by the
-- members' role ('role') and by team ('team': an action counts for the teams the person was on that day).
with activity_days as (

    select distinct org_id, user_id, activity_date
    from {{ ref('int_usage_activities') }}
    where activity_date <= {{ usage_as_of() }}

),

memberships as (

    select org_id, user_id, team_id, valid_from_date, valid_to_date
    from {{ ref('int_team_memberships_spanned') }}

),

segmented as (

    select org_id, user_id, activity_date, 'club' as segment, 'all' as segment_key
    from activity_days
    union all
    select activity_days.org_id, activity_days.user_id, activity_date, 'role', coalesce(roles.primary_role, 'member')
    from activity_days
    left join {{ ref('int_usage_member_roles') }} as roles
        on activity_days.org_id = roles.org_id and activity_days.user_id = roles.user_id
    union all
    select distinct activity_days.org_id, activity_days.user_id, activity_date, 'team', memberships.team_id
    from activity_days
    inner join memberships
        on activity_days.org_id = memberships.org_id
        and activity_days.user_id = memberships.user_id
        and activity_days.activity_date >= memberships.valid_from_date
        and (memberships.valid_to_date is null or activity_days.activity_date < memberships.valid_to_date)

),

-- A person is active in a window ending on a day when their latest active day up to it is at most 27 days back
-- (6 for the week, 0 for the day). So each active day stands for the days from it up to the next one, at most 28:
-- every person appears once per day counted, and the windows are counts, not distinct counts over 28 copies.
active_days as (

    select distinct org_id, segment, segment_key, user_id, activity_date
    from segmented

),

spans as (

    select
        active_days.*,
        lead(activity_date) over (
            partition by org_id, segment, segment_key, user_id order by activity_date
        ) as next_activity_date
    from active_days

),

windowed as (

    select
        spans.org_id,
        spans.segment,
        spans.segment_key,
        spans.user_id,
        offsets.day_offset,
        spans.activity_date + offsets.day_offset as usage_date
    from spans
    inner join ({{ day_offsets() }}) as offsets
        on offsets.day_offset < 28
        and (spans.next_activity_date is null or spans.activity_date + offsets.day_offset < spans.next_activity_date)

),

counted as (

    select
        org_id,
        segment,
        segment_key,
        usage_date,
        sum(case when day_offset = 0 then 1 else 0 end) as daily_active_users,
        sum(case when day_offset < 7 then 1 else 0 end) as weekly_active_users,
        count(*) as monthly_active_users
    from windowed
    where usage_date <= {{ usage_as_of() }}
        and usage_date > {{ usage_as_of() }} - {{ var('usage_history_days', 400) }}
    group by org_id, segment, segment_key, usage_date

)

select
    cast(org_id || '|' || segment || '|' || segment_key || '|' || cast(usage_date as varchar) as varchar)
        as usage_day_id,
    cast(org_id as varchar) as org_id,
    cast(segment as varchar) as segment,
    cast(segment_key as varchar) as segment_key,
    cast(usage_date as date) as usage_date,
    cast(daily_active_users as integer) as daily_active_users,
    cast(weekly_active_users as integer) as weekly_active_users,
    cast(monthly_active_users as integer) as monthly_active_users,
    {{ rounded('cast(daily_active_users as double precision) / monthly_active_users', 3) }} as stickiness
from counted
