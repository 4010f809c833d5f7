{#- Each planned training session as it stands (latest of scheduled/updated, cancelled ones left out), with the
    coach who planned it (the actor of its first scheduled event) and its planned load: intended RPE × planned
    minutes, in AU (null when either is missing). -#}
with versions as (

    select org_id, actor_id, occurred_at, event_id, session_id, team_id, starts_at, planned_duration_minutes,
        planned_rpe, calendar_event_id, true as is_first
    from {{ ref('stg_training__session_scheduled') }}
    union all
    select org_id, actor_id, occurred_at, event_id, session_id, team_id, starts_at, planned_duration_minutes,
        planned_rpe, calendar_event_id, false as is_first
    from {{ ref('stg_training__session_updated') }}

),

ranked as (

    select
        versions.*,
        row_number() over (partition by org_id, session_id order by occurred_at desc, event_id desc) as version_rank
    from versions

),

planners as (

    select org_id, session_id, min(actor_id) as coach_id
    from versions
    where is_first
    group by org_id, session_id

),

cancelled as (

    select distinct org_id, session_id from {{ ref('stg_training__session_cancelled') }}

)

select
    cast(ranked.session_id as varchar) as session_id,
    cast(ranked.org_id as varchar) as org_id,
    cast(ranked.team_id as varchar) as team_id,
    cast(planners.coach_id as varchar) as coach_id,
    cast(ranked.starts_at as timestamp with time zone) as starts_at,
    cast(ranked.planned_duration_minutes as integer) as planned_duration_minutes,
    cast(ranked.planned_rpe as integer) as planned_rpe,
    cast(ranked.planned_rpe * ranked.planned_duration_minutes as integer) as planned_load_au,
    cast(ranked.calendar_event_id as varchar) as calendar_event_id
from ranked
left join planners
    on planners.org_id = ranked.org_id
    and planners.session_id = ranked.session_id
left join cancelled
    on cancelled.org_id = ranked.org_id
    and cancelled.session_id = ranked.session_id
where ranked.version_rank = 1
    and cancelled.session_id is null
