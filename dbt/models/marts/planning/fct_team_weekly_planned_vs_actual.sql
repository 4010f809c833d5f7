{#- Per team and planned week: the plan (load, sessions, intensity mix, focus) and the sessions scheduled that week
    (training's and the calendar's practices, with the planned loads of all sessions) against the mean load its
    players on record logged, the ratio, the training sessions its players missed and added (matched session by
    session), the team's games and how many of its players' logs matched them, and the ratio's trend (mean of the
    last four weeks with logs). Games are scheduled, not training: never missed, never added, counted apart, and in
    the scheduled load only with an intended RPE. Weeks ahead have no actual values yet. -#}
with plan_weeks as (

    select * from {{ ref('int_plan_weeks_current') }}

),

actuals as (

    select
        org_id,
        team_id,
        week_start,
        sum(case when days_on_record > 0 then 1 else 0 end) as players_on_record,
        avg(case when days_on_record > 0 then cast(actual_load_au as double precision) end) as mean_actual_load_au,
        sum(sessions_missed) as sessions_missed,
        sum(sessions_added) as sessions_added,
        sum(games_logged) as games_logged
    from {{ ref('fct_player_weekly_planned_vs_actual') }}
    group by 1, 2, 3

),

scheduled as (

    select
        org_id,
        team_id,
        week_start,
        sum(case when session_kind = 'training' then 1 else 0 end) as scheduled_sessions,
        sum(case when session_kind = 'game' then 1 else 0 end) as scheduled_games,
        sum(planned_load_au) as scheduled_load_au
    from {{ ref('int_planned_sessions') }}
    where team_id is not null
    group by 1, 2, 3

),

weeks as (

    select
        plan_weeks.*,
        actuals.players_on_record,
        actuals.mean_actual_load_au,
        actuals.sessions_missed,
        actuals.sessions_added,
        actuals.games_logged,
        scheduled.scheduled_sessions,
        scheduled.scheduled_games,
        scheduled.scheduled_load_au,
        case when plan_weeks.planned_load_au > 0 and actuals.mean_actual_load_au is not null
            then actuals.mean_actual_load_au / plan_weeks.planned_load_au
        end as unrounded_ratio
    from plan_weeks
    left join actuals
        on actuals.org_id = plan_weeks.org_id
        and actuals.team_id = plan_weeks.team_id
        and actuals.week_start = plan_weeks.week_start
    left join scheduled
        on scheduled.org_id = plan_weeks.org_id
        and scheduled.team_id = plan_weeks.team_id
        and scheduled.week_start = plan_weeks.week_start

)

select
    cast(week_id as varchar) as team_week_id,
    cast(org_id as varchar) as org_id,
    cast(team_id as varchar) as team_id,
    cast(plan_id as varchar) as plan_id,
    cast(week_start as date) as week_start,
    cast(focus as varchar) as focus,
    cast(planned_sessions as integer) as planned_sessions,
    cast(planned_load_au as bigint) as planned_load_au,
    cast(coalesce(scheduled_sessions, 0) as integer) as scheduled_sessions,
    cast(scheduled_load_au as bigint) as scheduled_load_au,
    cast(low_pct as integer) as low_intensity_pct,
    cast(moderate_pct as integer) as moderate_intensity_pct,
    cast(high_pct as integer) as high_intensity_pct,
    cast(coalesce(players_on_record, 0) as integer) as players_on_record,
    {{ rounded('mean_actual_load_au', 2) }} as mean_actual_load_au,
    {{ rounded('unrounded_ratio', 3) }} as actual_to_planned_load_ratio,
    {{ rounded(
        'avg(unrounded_ratio) over (partition by org_id, plan_id order by week_start rows between 3 preceding and current row)',
        3
    ) }} as ratio_trend_4_weeks,
    cast(sessions_missed as integer) as sessions_missed,
    cast(sessions_added as integer) as sessions_added,
    cast(coalesce(scheduled_games, 0) as integer) as scheduled_games,
    cast(games_logged as integer) as games_logged
from weeks
