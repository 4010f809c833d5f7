{#- Each planned session for each player it was planned for: the players on the session's team that day (player
    memberships; before a player's first membership their first team counts, as in team_attribution), and anyone whose log matched it (int_session_rpe_logs_matched). A player with no matching log of
    a training session on or before `planning_as_of()` (yesterday) missed it. A game is not training: a rostered
    player without a log for it did not miss training (they may not have been in the line-up), so games are
    counted apart — scheduled, and logged when a log of the player matched it. -#}
with planned as (

    select * from {{ ref('int_planned_sessions') }}

),

logs as (

    select * from {{ ref('int_session_rpe_logs_matched') }}
    where planned_session_id is not null

),

rostered as (

    select planned.planned_session_id, spans.user_id as player_id
    from planned
    inner join {{ ref('int_team_memberships_spanned') }} as spans
        on spans.org_id = planned.org_id
        and spans.team_id = planned.team_id
        and spans.role = 'player'
        -- as for every player fact: before a player's first membership, their first team counts
        and (spans.is_first_player_span or spans.valid_from_date <= planned.session_date)
        and (spans.valid_to_date is null or planned.session_date < spans.valid_to_date)

),

players as (

    select planned_session_id, player_id from rostered
    union
    select planned_session_id, player_id from logs

),

logged as (

    select
        planned_session_id,
        player_id,
        count(*) as logs_matched,
        sum(session_rpe_load_au) as logged_load_au
    from logs
    group by 1, 2

)

select
    cast(players.planned_session_id || '|' || players.player_id as varchar) as player_session_id,
    cast(planned.org_id as varchar) as org_id,
    cast(players.player_id as varchar) as player_id,
    cast(planned.team_id as varchar) as team_id,
    cast(planned.planned_session_id as varchar) as planned_session_id,
    cast(planned.session_kind as varchar) as session_kind,
    cast(planned.session_date as date) as session_date,
    cast(planned.week_start as date) as week_start,
    cast(planned.planned_load_au as integer) as planned_load_au,
    cast(coalesce(logged.logs_matched, 0) as integer) as logs_matched,
    cast(logged.logged_load_au as integer) as logged_load_au,
    cast(
        planned.session_kind = 'training'
        and logged.planned_session_id is null
        and planned.session_date <= {{ planning_as_of() }}
        as boolean
    ) as is_missed
from players
inner join planned
    on planned.planned_session_id = players.planned_session_id
left join logged
    on logged.planned_session_id = players.planned_session_id
    and logged.player_id = players.player_id
