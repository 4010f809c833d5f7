{#- Every planned session, each once: the training service's sessions and the calendar's practice and game
    occurrences (`session_kind` training or game: games are scheduled too, so a game's logs match it), with
    the coach's intended RPE, planned minutes and planned load (intended RPE × minutes, AU). A training session
    planned for a calendar event stands for that event's occurrence on its day, so the occurrence is not counted
    again. A training session's day is the club's calendar day of its start. -#}
with clubs as (

    select org_id, time_zone
    from (
        select
            org_id, time_zone,
            row_number() over (partition by org_id order by occurred_at desc, event_id desc) as recency_rank
        from {{ ref('stg_users__organization_created') }}
    ) as ranked
    where recency_rank = 1

),

training_sessions as (

    select
        sessions.session_id as planned_session_id,
        cast('training_session' as varchar) as planned_in,
        sessions.org_id,
        sessions.team_id,
        sessions.coach_id,
        cast('training' as varchar) as session_kind,
        sessions.session_id,
        sessions.calendar_event_id as series_id,
        sessions.starts_at,
        {{ local_date('sessions.starts_at', 'clubs.time_zone') }} as session_date,
        sessions.planned_duration_minutes,
        sessions.planned_rpe,
        sessions.planned_load_au
    from {{ ref('int_training_sessions_planned') }} as sessions
    left join clubs
        on clubs.org_id = sessions.org_id

),

practices as (

    select
        practices.planned_session_id,
        cast('calendar' as varchar) as planned_in,
        practices.org_id,
        practices.team_id,
        practices.coach_id,
        practices.session_kind,
        cast(null as varchar) as session_id,
        practices.series_id,
        practices.starts_at,
        practices.session_date,
        practices.planned_duration_minutes,
        practices.planned_rpe,
        practices.planned_load_au
    from {{ ref('int_calendar_practices_planned') }} as practices
    where not exists (
        select 1 from training_sessions
        where training_sessions.org_id = practices.org_id
            and training_sessions.series_id = practices.series_id
            and training_sessions.session_date = practices.session_date
    )

),

planned as (

    select * from training_sessions
    union all
    select * from practices

)

select
    cast(planned_session_id as varchar) as planned_session_id,
    cast(planned_in as varchar) as planned_in,
    cast(org_id as varchar) as org_id,
    cast(team_id as varchar) as team_id,
    cast(coach_id as varchar) as coach_id,
    cast(session_kind as varchar) as session_kind,
    cast(session_id as varchar) as session_id,
    cast(series_id as varchar) as series_id,
    cast(starts_at as timestamp with time zone) as starts_at,
    cast(session_date as date) as session_date,
    {{ week_start('session_date') }} as week_start,
    cast(planned_duration_minutes as integer) as planned_duration_minutes,
    cast(planned_rpe as integer) as planned_rpe,
    cast(planned_load_au as integer) as planned_load_au
from planned
