{#- Per player and planned week of their team: what the plan asked (the week's planned sRPE load and sessions, and
    the training sessions scheduled that week, with the planned loads of all its sessions) against what the player
    logged that week (Σ session-RPE load, sessions), their ratio, and the training sessions missed (scheduled, on or
    before yesterday, no log of the player matched them) or added (a log that matched no planned session), session
    by session (int_planned_player_sessions_matched, int_session_rpe_logs_matched). Games are scheduled but not
    training: they count apart (games scheduled for the player's team, games the player logged), are never missed,
    and add to the planned load only when they carry an intended RPE; a game's log is not added. -#}
with plan_weeks as (

    select * from {{ ref('int_plan_weeks_current') }}

),

player_weeks as (

    select
        org_id,
        player_id,
        team_id,
        {{ week_start('session_date') }} as week_start,
        sum(session_rpe_load_au) as actual_load_au,
        sum(session_count) as logged_sessions,
        count(*) as days_on_record
    from {{ ref('fct_player_daily_load') }}
    group by 1, 2, 3, 4

),

session_weeks as (

    select
        org_id,
        player_id,
        week_start,
        min(team_id) as team_id,
        sum(case when session_kind = 'training' then 1 else 0 end) as scheduled_sessions,
        sum(planned_load_au) as scheduled_load_au,
        sum(case when is_missed then 1 else 0 end) as sessions_missed,
        sum(case when session_kind = 'game' then 1 else 0 end) as games_scheduled,
        sum(case when session_kind = 'game' and logs_matched > 0 then 1 else 0 end) as games_logged
    from {{ ref('int_planned_player_sessions_matched') }}
    group by 1, 2, 3

),

added as (

    select org_id, player_id, week_start, count(*) as sessions_added
    from {{ ref('int_session_rpe_logs_matched') }}
    where planned_session_id is null
    group by 1, 2, 3

),

-- a player who missed every session of a week has no days on record for it, and still has the week
weeks as (

    select org_id, player_id, team_id, week_start from player_weeks
    union all
    select session_weeks.org_id, session_weeks.player_id, session_weeks.team_id, session_weeks.week_start
    from session_weeks
    where session_weeks.sessions_missed > 0
        and not exists (
            select 1 from player_weeks
            where player_weeks.org_id = session_weeks.org_id
                and player_weeks.player_id = session_weeks.player_id
                and player_weeks.week_start = session_weeks.week_start
        )

)

select
    cast(weeks.player_id || '|' || cast(weeks.week_start as varchar) as varchar) as player_week_id,
    cast(weeks.org_id as varchar) as org_id,
    cast(weeks.player_id as varchar) as player_id,
    cast(weeks.team_id as varchar) as team_id,
    cast(plan_weeks.plan_id as varchar) as plan_id,
    cast(weeks.week_start as date) as week_start,
    cast(plan_weeks.planned_load_au as bigint) as planned_load_au,
    cast(plan_weeks.planned_sessions as integer) as planned_sessions,
    cast(coalesce(session_weeks.scheduled_sessions, 0) as integer) as scheduled_sessions,
    cast(session_weeks.scheduled_load_au as bigint) as scheduled_load_au,
    cast(coalesce(player_weeks.actual_load_au, 0) as bigint) as actual_load_au,
    cast(coalesce(player_weeks.logged_sessions, 0) as integer) as logged_sessions,
    case when plan_weeks.planned_load_au > 0
        then {{ rounded('cast(coalesce(player_weeks.actual_load_au, 0) as double precision) / plan_weeks.planned_load_au', 3) }}
    end as actual_to_planned_load_ratio,
    cast(coalesce(session_weeks.sessions_missed, 0) as integer) as sessions_missed,
    cast(coalesce(added.sessions_added, 0) as integer) as sessions_added,
    cast(coalesce(session_weeks.games_scheduled, 0) as integer) as games_scheduled,
    cast(coalesce(session_weeks.games_logged, 0) as integer) as games_logged,
    cast(coalesce(player_weeks.days_on_record, 0) as integer) as days_on_record,
    cast(coalesce(player_weeks.days_on_record, 0) = 7 as boolean) as is_complete_week
from weeks
inner join plan_weeks
    on plan_weeks.org_id = weeks.org_id
    and plan_weeks.team_id = weeks.team_id
    and plan_weeks.week_start = weeks.week_start
left join player_weeks
    on player_weeks.org_id = weeks.org_id
    and player_weeks.player_id = weeks.player_id
    and player_weeks.team_id = weeks.team_id
    and player_weeks.week_start = weeks.week_start
left join session_weeks
    on session_weeks.org_id = weeks.org_id
    and session_weeks.player_id = weeks.player_id
    and session_weeks.week_start = weeks.week_start
left join added
    on added.org_id = weeks.org_id
    and added.player_id = weeks.player_id
    and added.week_start = weeks.week_start
