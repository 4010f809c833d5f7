{#- Per player and planned week of their team: what the plan asked (planned sRPE load and sessions) against what the
    player logged that week (Σ session-RPE load, sessions), their ratio, and the sessions missed or added. -#}
with plan_weeks as (

    select * from {{ ref('int_plan_weeks_current') }}

),

player_weeks as (

    select
        org_id,
        player_id,
        team_id,
        -- the Monday of the day's ISO week
        cast(session_date - cast(extract(isodow from session_date) as integer) + 1 as date) as week_start,
        sum(session_rpe_load_au) as actual_load_au,
        sum(session_count) as logged_sessions,
        count(*) as days_on_record
    from {{ ref('fct_player_daily_load') }}
    group by 1, 2, 3, 4

)

select
    cast(player_weeks.player_id || '|' || cast(player_weeks.week_start as varchar) as varchar) as player_week_id,
    cast(player_weeks.org_id as varchar) as org_id,
    cast(player_weeks.player_id as varchar) as player_id,
    cast(player_weeks.team_id as varchar) as team_id,
    cast(plan_weeks.plan_id as varchar) as plan_id,
    cast(player_weeks.week_start as date) as week_start,
    cast(plan_weeks.planned_load_au as bigint) as planned_load_au,
    cast(plan_weeks.planned_sessions as integer) as planned_sessions,
    cast(player_weeks.actual_load_au as bigint) as actual_load_au,
    cast(player_weeks.logged_sessions as integer) as logged_sessions,
    case when plan_weeks.planned_load_au > 0
        then {{ rounded('cast(player_weeks.actual_load_au as double precision) / plan_weeks.planned_load_au', 3) }}
    end as actual_to_planned_load_ratio,
    cast(greatest(plan_weeks.planned_sessions - player_weeks.logged_sessions, 0) as integer) as sessions_missed,
    cast(greatest(player_weeks.logged_sessions - plan_weeks.planned_sessions, 0) as integer) as sessions_added,
    cast(player_weeks.days_on_record = 7 as boolean) as is_complete_week
from player_weeks
inner join plan_weeks
    on plan_weeks.org_id = player_weeks.org_id
    and plan_weeks.team_id = player_weeks.team_id
    and plan_weeks.week_start = player_weeks.week_start
