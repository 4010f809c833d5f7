with answers as (

    select * from {{ ref('int_wellness_answers_corrected') }}

),

attribution as (

    {{ team_attribution('answers', 'wellness_id', 'wellness_date') }}

)

select
    answers.wellness_id,
    answers.org_id,
    answers.player_id,
    cast(attribution.attributed_team_id as varchar) as team_id,
    answers.team_id as answered_team_id,
    answers.wellness_date,
    answers.instrument,
    answers.total_score,
    answers.sleep_hours,
    answers.submitted_at,
    answers.answered_by
from answers
inner join attribution on answers.wellness_id = attribution.wellness_id
