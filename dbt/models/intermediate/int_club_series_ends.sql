{#- The day every club's player-day series ends, as int_player_days_spined runs it: the latest day anything (a session
    log or a wellness questionnaire) was reported in the club, for the clubs with a session log at all (a player's
    series starts at their first one). The incremental player-day marts compare it with the last day they hold to
    find the series whose end moved (macros/incremental.sql), without evaluating every player-day. -#}
with session_days as (

    select org_id, session_date as reported_date
    from {{ ref('int_session_rpe_logs_corrected') }}

),

reported_days as (

    select org_id, reported_date from session_days
    union all
    select org_id, wellness_date from {{ ref('int_wellness_answers_corrected') }}

)

select
    cast(org_id as varchar) as org_id,
    cast(max(reported_date) as date) as last_date
from reported_days
where org_id in (select org_id from session_days)
group by org_id
