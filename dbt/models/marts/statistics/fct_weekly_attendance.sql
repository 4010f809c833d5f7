with attendance as (

    select * from {{ ref('fct_attendance') }}

),

weekly as (

    select
        org_id,
        player_id,
        team_id,
        cast(date_trunc('week', occurrence_start) as date) as week_start,
        count(*) as events_recorded,
        sum(case when attended then 1 else 0 end) as events_attended,
        sum(case when attendance_status = 'excused' then 1 else 0 end) as events_excused
    from attendance
    group by org_id, player_id, team_id, cast(date_trunc('week', occurrence_start) as date)

)

select
    cast(
        player_id || '|' || coalesce(team_id, '-') || '|' || cast(week_start as varchar) as varchar
    ) as player_team_week_id,
    cast(org_id as varchar) as org_id,
    cast(player_id as varchar) as player_id,
    cast(team_id as varchar) as team_id,
    cast(week_start as date) as week_start,
    cast(events_recorded as bigint) as events_recorded,
    cast(events_attended as bigint) as events_attended,
    cast(events_excused as bigint) as events_excused,
    -- excused absences do not count against the player
    cast(
        case
            when events_recorded = events_excused then null
            else cast(events_attended as double precision) / (events_recorded - events_excused)
        end as double precision
    ) as attendance_rate
from weekly
