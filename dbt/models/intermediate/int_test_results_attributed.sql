with results as (

    select * from {{ ref('stg_training__test_result_recorded') }}

),

attribution as (

    {{ team_attribution('results', 'event_id', 'tested_on') }}

)

select
    results.event_id,
    results.occurred_at,
    results.org_id,
    results.result_id,
    results.player_id,
    cast(attribution.attributed_team_id as varchar) as team_id,
    results.team_id as recorded_team_id,
    results.test_id,
    results.test_name,
    results.unit,
    results.direction,
    results.result_value,
    results.tested_on,
    results.recorded_by
from results
inner join attribution on results.event_id = attribution.event_id
