with calendar_sessions as (

    select
        org_id,
        player_id,
        team_id,
        occurrence_date as exposure_date,
        case when event_kind = 'game' then duration_minutes else 0 end as game_minutes,
        case when event_kind = 'game' then 0 else duration_minutes end as practice_minutes
    from {{ ref('int_attended_occurrences_timed') }}

),

calendar_days as (

    select distinct org_id, player_id, exposure_date from calendar_sessions

),

-- A logged session counts as practice exposure only on a day the calendar shows the player at no practice, game or
-- training session: a player who logs RPE after a practice on the calendar would otherwise count it twice.
logged_sessions as (

    select
        logs.org_id,
        logs.player_id,
        logs.team_id,
        logs.session_date as exposure_date,
        0 as game_minutes,
        logs.duration_minutes as practice_minutes
    from {{ ref('int_session_rpe_logs_attributed') }} as logs
    where not exists (
        select 1 from calendar_days
        where calendar_days.org_id = logs.org_id
            and calendar_days.player_id = logs.player_id
            and calendar_days.exposure_date = logs.session_date
    )

),

sessions as (

    select *, 'calendar' as exposure_source from calendar_sessions
    union all
    select *, 'training_log' as exposure_source from logged_sessions

),

daily as (

    select
        org_id,
        player_id,
        team_id,
        exposure_date,
        sum(practice_minutes) as practice_minutes,
        sum(game_minutes) as game_minutes,
        max(exposure_source) as exposure_source
    from sessions
    group by org_id, player_id, team_id, exposure_date

)

select
    cast(player_id || '|' || coalesce(team_id, '-') || '|' || cast(exposure_date as varchar) as varchar)
        as player_team_day_id,
    cast(org_id as varchar) as org_id,
    cast(player_id as varchar) as player_id,
    cast(team_id as varchar) as team_id,
    cast(exposure_date as date) as exposure_date,
    {{ season_start_year('exposure_date') }} as season_start_year,
    {{ rounded('practice_minutes / 60.0', 4) }} as practice_hours,
    {{ rounded('game_minutes / 60.0', 4) }} as game_hours,
    {{ rounded('(practice_minutes + game_minutes) / 60.0', 4) }} as exposure_hours,
    cast(exposure_source as varchar) as exposure_source
from daily
