with session_rpe_logs as (

    select * from {{ ref('int_session_rpe_logs_attributed') }}

),

spine as (

    select * from {{ ref('int_player_days_spined') }}

),

daily_totals as (

    select
        player_id,
        session_date,
        count(*) as session_count,
        sum(duration_minutes) as total_duration_minutes,
        sum(session_rpe_load_au) as session_rpe_load_au
    from session_rpe_logs
    group by player_id, session_date

),

-- A player can train with more than one team in a day; the day is credited to the team of the latest log that
-- has one.
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

filled as (

    select
        spine.player_day_id,
        spine.org_id,
        spine.player_id,
        spine.spine_date,
        spine.roster_team_id,
        day_team.team_id as day_team_id,
        coalesce(daily_totals.session_count, 0) as session_count,
        coalesce(daily_totals.total_duration_minutes, 0) as total_duration_minutes,
        coalesce(daily_totals.session_rpe_load_au, 0) as session_rpe_load_au,
        spine.has_wellness,
        -- the latest day up to this one whose sessions had a team: without a roster, rest days belong to it
        max(case when day_team.team_id is not null then spine.spine_date end) over (
            partition by spine.player_id order by spine.spine_date
            rows between unbounded preceding and current row
        ) as last_team_date
    from spine
    left join daily_totals
        on spine.player_id = daily_totals.player_id
        and spine.spine_date = daily_totals.session_date
    left join day_team
        on spine.player_id = day_team.player_id
        and spine.spine_date = day_team.session_date

)

select
    cast(filled.player_day_id as varchar) as player_day_id,
    cast(filled.org_id as varchar) as org_id,
    cast(filled.player_id as varchar) as player_id,
    cast(filled.spine_date as date) as spine_date,
    cast(
        case
            when filled.session_count > 0 then filled.day_team_id
            else coalesce(filled.roster_team_id, last_team.team_id)
        end as varchar
    ) as team_id,
    cast(filled.session_count as integer) as session_count,
    cast(filled.total_duration_minutes as integer) as total_duration_minutes,
    cast(filled.session_rpe_load_au as bigint) as session_rpe_load_au,
    cast(filled.has_wellness as boolean) as has_wellness,
    cast(filled.session_count > 0 or filled.has_wellness as boolean) as day_has_data
from filled
left join day_team as last_team
    on filled.player_id = last_team.player_id
    and filled.last_team_date = last_team.session_date
