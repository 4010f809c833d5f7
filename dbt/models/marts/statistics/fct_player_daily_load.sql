with session_rpe_logs as (

    select * from {{ ref('stg_training__session_rpe_logged') }}

),

daily_totals as (

    select
        org_id,
        player_id,
        session_date,
        count(*) as session_count,
        sum(duration_minutes) as total_duration_minutes,
        sum(rpe * duration_minutes) as session_rpe_load_au
    from session_rpe_logs
    group by org_id, player_id, session_date

),

-- A player can train with more than one team in a day; the day is credited to the team of the latest log that
-- named one.
logs_latest_first as (

    select
        player_id,
        session_date,
        team_id,
        row_number() over (
            partition by player_id, session_date
            order by case when team_id is null then 1 else 0 end, logged_at desc, log_id desc
        ) as recency_rank
    from session_rpe_logs

),

day_team as (

    select player_id, session_date, team_id
    from logs_latest_first
    where recency_rank = 1

)

select
    cast(daily_totals.player_id || '|' || cast(daily_totals.session_date as varchar) as varchar) as player_day_id,
    cast(daily_totals.org_id as varchar) as org_id,
    cast(daily_totals.player_id as varchar) as player_id,
    cast(day_team.team_id as varchar) as team_id,
    cast(daily_totals.session_date as date) as session_date,
    cast(daily_totals.session_count as integer) as session_count,
    cast(daily_totals.total_duration_minutes as integer) as total_duration_minutes,
    cast(daily_totals.session_rpe_load_au as bigint) as session_rpe_load_au
from daily_totals
left join day_team
    on daily_totals.player_id = day_team.player_id
    and daily_totals.session_date = day_team.session_date
