{#- Each RPE log (as corrected, filed under the player's team that day) matched to the planned session it belongs
    to: the training session the log names, else a planned session of the player's team on the log's day that no
    other log of the player took; the n-th such log of a player's day (by when it was logged) takes the n-th open
    session of that day (by start). A log matching no planned session was added to the plan. -#}
with logs as (

    select * from {{ ref('int_session_rpe_logs_attributed') }}

),

planned as (

    select * from {{ ref('int_planned_sessions') }}

),

named as (

    select logs.log_id, logs.player_id, planned.planned_session_id
    from logs
    inner join planned
        on planned.org_id = logs.org_id
        and planned.session_id = logs.session_id

),

unnamed as (

    select logs.*
    from logs
    where not exists (select 1 from named where named.log_id = logs.log_id)

),

day_candidates as (

    select
        unnamed.log_id,
        planned.planned_session_id,
        dense_rank() over (
            partition by unnamed.org_id, unnamed.player_id, unnamed.session_date
            order by unnamed.logged_at, unnamed.log_id
        ) as log_rank,
        dense_rank() over (
            partition by unnamed.org_id, unnamed.player_id, unnamed.session_date
            order by planned.starts_at, planned.planned_session_id
        ) as session_rank
    from unnamed
    inner join planned
        on planned.org_id = unnamed.org_id
        and planned.team_id = unnamed.team_id
        and planned.session_date = unnamed.session_date
    where not exists (
        select 1 from named
        where named.player_id = unnamed.player_id
            and named.planned_session_id = planned.planned_session_id
    )

),

by_day as (

    select log_id, planned_session_id from day_candidates where log_rank = session_rank

),

matches as (

    select log_id, planned_session_id, cast('session' as varchar) as matched_by from named
    union all
    select log_id, planned_session_id, cast('day' as varchar) as matched_by from by_day

)

select
    cast(logs.log_id as varchar) as log_id,
    cast(logs.org_id as varchar) as org_id,
    cast(logs.player_id as varchar) as player_id,
    cast(logs.team_id as varchar) as team_id,
    cast(logs.session_date as date) as session_date,
    {{ week_start('logs.session_date') }} as week_start,
    cast(logs.rpe as integer) as rpe,
    cast(logs.duration_minutes as integer) as duration_minutes,
    cast(logs.session_rpe_load_au as integer) as session_rpe_load_au,
    cast(matches.planned_session_id as varchar) as planned_session_id,
    cast(matches.matched_by as varchar) as matched_by
from logs
left join matches
    on matches.log_id = logs.log_id
