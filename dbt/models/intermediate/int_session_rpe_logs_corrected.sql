with logged as (

    select
        org_id, log_id, player_id, team_id, session_date, rpe, duration_minutes, session_rpe_load_au, logged_at,
        session_id, logged_by,
        occurred_at as version_at, event_id, false as is_correction
    from {{ ref('stg_training__session_rpe_logged') }}

),

corrected as (

    select
        org_id, log_id, player_id, team_id, session_date, rpe, duration_minutes, session_rpe_load_au, logged_at,
        session_id, logged_by,
        occurred_at as version_at, event_id, true as is_correction
    from {{ ref('stg_training__session_rpe_corrected') }}

),

versions as (

    select * from logged
    union all
    select * from corrected

),

deleted as (

    select org_id, log_id from {{ ref('stg_training__session_rpe_deleted') }}

),

latest as (

    {{ latest_undeleted_versions('versions', 'deleted', 'log_id') }}

)

select
    cast(log_id as varchar) as log_id,
    cast(org_id as varchar) as org_id,
    cast(player_id as varchar) as player_id,
    cast(team_id as varchar) as team_id,
    cast(session_date as date) as session_date,
    cast(rpe as integer) as rpe,
    cast(duration_minutes as integer) as duration_minutes,
    -- as the event carries it (a correction carries the corrected load); staging tests that it is rpe × minutes
    cast(session_rpe_load_au as integer) as session_rpe_load_au,
    cast(logged_at as timestamp with time zone) as logged_at,
    cast(session_id as varchar) as session_id,
    cast(logged_by as varchar) as logged_by,
    cast(is_correction as boolean) as is_corrected,
    cast(version_at as timestamp with time zone) as version_at
from latest
