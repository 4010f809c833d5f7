with submitted as (

    select
        org_id, wellness_id, player_id, team_id, wellness_date, instrument, total_score, sleep_hours, submitted_at,
        answered_by, occurred_at as version_at, event_id, false as is_correction
    from {{ ref('stg_training__wellness_submitted') }}

),

corrected as (

    select
        org_id, wellness_id, player_id, team_id, wellness_date, instrument, total_score, sleep_hours, submitted_at,
        answered_by, occurred_at as version_at, event_id, true as is_correction
    from {{ ref('stg_training__wellness_corrected') }}

),

versions as (

    select * from submitted
    union all
    select * from corrected

),

deleted as (

    select org_id, wellness_id from {{ ref('stg_training__wellness_deleted') }}

),

latest as (

    {{ latest_undeleted_versions('versions', 'deleted', 'wellness_id') }}

)

select
    cast(wellness_id as varchar) as wellness_id,
    cast(org_id as varchar) as org_id,
    cast(player_id as varchar) as player_id,
    cast(team_id as varchar) as team_id,
    cast(wellness_date as date) as wellness_date,
    cast(instrument as varchar) as instrument,
    cast(total_score as integer) as total_score,
    cast(sleep_hours as double precision) as sleep_hours,
    cast(submitted_at as timestamp with time zone) as submitted_at,
    cast(answered_by as varchar) as answered_by,
    cast(is_correction as boolean) as is_corrected,
    cast(version_at as timestamp with time zone) as version_at
from latest
