with session_rpe_logs as (

    select * from {{ ref('stg_training__session_rpe_logged') }}

),

wellness as (

    select * from {{ ref('stg_training__wellness_submitted') }}

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

),

wellness_days as (

    select distinct player_id, wellness_date
    from wellness

),

-- Every club's series runs to the latest day anything was reported in that club, so a player who stopped
-- logging shows falling load rather than a frozen last value.
org_last_day as (

    select org_id, max(reported_date) as last_date
    from (
        select org_id, session_date as reported_date from daily_totals
        union all
        select org_id, wellness_date from wellness
    ) as reported_days
    group by org_id

),

player_span as (

    select daily_totals.org_id, daily_totals.player_id, min(daily_totals.session_date) as first_date,
        max(org_last_day.last_date) as last_date
    from daily_totals
    inner join org_last_day on daily_totals.org_id = org_last_day.org_id
    group by daily_totals.org_id, daily_totals.player_id

),

day_offsets as (

    {{ day_offsets() }}

),

player_days as (

    select player_span.org_id, player_span.player_id, player_span.first_date + day_offsets.day_offset as session_date
    from player_span
    inner join day_offsets on day_offsets.day_offset <= player_span.last_date - player_span.first_date

),

filled as (

    select
        player_days.org_id,
        player_days.player_id,
        player_days.session_date,
        day_team.team_id,
        coalesce(daily_totals.session_count, 0) as session_count,
        coalesce(daily_totals.total_duration_minutes, 0) as total_duration_minutes,
        coalesce(daily_totals.session_rpe_load_au, 0) as session_rpe_load_au,
        wellness_days.wellness_date is not null as wellness_submitted,
        -- the latest day up to this one whose sessions named a team: rest days belong to the player's last team
        max(case when day_team.team_id is not null then player_days.session_date end) over (
            partition by player_days.player_id order by player_days.session_date
            rows between unbounded preceding and current row
        ) as last_team_date
    from player_days
    left join daily_totals
        on player_days.player_id = daily_totals.player_id
        and player_days.session_date = daily_totals.session_date
    left join day_team
        on player_days.player_id = day_team.player_id
        and player_days.session_date = day_team.session_date
    left join wellness_days
        on player_days.player_id = wellness_days.player_id
        and player_days.session_date = wellness_days.wellness_date

)

select
    cast(filled.player_id || '|' || cast(filled.session_date as varchar) as varchar) as player_day_id,
    cast(filled.org_id as varchar) as org_id,
    cast(filled.player_id as varchar) as player_id,
    cast(
        case when filled.session_count > 0 then filled.team_id else last_team.team_id end as varchar
    ) as team_id,
    cast(filled.session_date as date) as session_date,
    cast(filled.session_count as integer) as session_count,
    cast(filled.total_duration_minutes as integer) as total_duration_minutes,
    cast(filled.session_rpe_load_au as bigint) as session_rpe_load_au,
    cast(filled.wellness_submitted as boolean) as wellness_submitted,
    cast(filled.session_count > 0 or filled.wellness_submitted as boolean) as day_has_data
from filled
left join day_team as last_team
    on filled.player_id = last_team.player_id
    and filled.last_team_date = last_team.session_date
