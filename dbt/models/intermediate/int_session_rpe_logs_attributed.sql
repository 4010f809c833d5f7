with logs as (

    select * from {{ ref('int_session_rpe_logs_corrected') }}

),

attribution as (

    {{ team_attribution('logs', 'log_id', 'session_date') }}

)

select
    logs.log_id,
    logs.org_id,
    logs.player_id,
    cast(attribution.attributed_team_id as varchar) as team_id,
    logs.team_id as logged_team_id,
    logs.session_date,
    logs.rpe,
    logs.duration_minutes,
    logs.session_rpe_load_au,
    logs.logged_at,
    logs.session_id,
    logs.logged_by
from logs
inner join attribution on logs.log_id = attribution.log_id
