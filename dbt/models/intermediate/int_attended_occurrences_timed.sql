with attended as (

    select * from {{ ref('fct_attendance') }}
    where attended and event_kind in ('practice', 'game', 'training_session')

),

created as (

    select series_id, event_id, occurred_at, duration_minutes, time_zone,
        cast('all' as varchar) as change_scope, cast(null as timestamp with time zone) as occurrence_start
    from {{ ref('stg_calendar__event_created') }}

),

updated as (

    select series_id, event_id, occurred_at, duration_minutes, time_zone, change_scope, occurrence_start
    from {{ ref('stg_calendar__event_updated') }}

),

versions as (

    select * from created
    union all
    select * from updated

),

-- The length of an occurrence is the one set by the latest change that reached it: the series' creation, a change
-- of all occurrences, a change of this and following ones from on or before it, or a change of this one alone.
applicable as (

    select
        attended.attendance_id,
        versions.duration_minutes,
        versions.time_zone,
        row_number() over (
            partition by attended.attendance_id order by versions.occurred_at desc, versions.event_id desc
        ) as recency_rank
    from attended
    inner join versions
        on versions.series_id = attended.series_id
        and (
            versions.change_scope = 'all'
            or (versions.change_scope = 'following' and versions.occurrence_start <= attended.occurrence_start)
            or (versions.change_scope = 'this' and versions.occurrence_start = attended.occurrence_start)
        )

)

select
    cast(attended.attendance_id as varchar) as attendance_id,
    cast(attended.org_id as varchar) as org_id,
    cast(attended.player_id as varchar) as player_id,
    cast(attended.team_id as varchar) as team_id,
    cast(attended.event_kind as varchar) as event_kind,
    cast(attended.occurrence_start as timestamp with time zone) as occurrence_start,
    {{ local_date('attended.occurrence_start', 'applicable.time_zone') }} as occurrence_date,
    cast(applicable.duration_minutes as integer) as duration_minutes
from attended
inner join applicable
    on applicable.attendance_id = attended.attendance_id
    and applicable.recency_rank = 1
