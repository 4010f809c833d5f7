{#- Fitness, fatigue and form per player and day (Banister's impulse-response model as the performance-management
    chart draws it): fitness = the 42-day exponentially weighted mean of daily load, fatigue = the 7-day one,
    form = fitness − fatigue (training stress balance). EWMA_t = λ·load_t + (1 − λ)·EWMA_t−1 with λ = 2 ÷ (N + 1)
    and EWMA = 0 before the first log, written as its closed form Σ λ(1 − λ)^k · load_t−k.

    The series runs on past the player's last day on record into the weeks their team's season plan has planned,
    so a coach sees where the plan takes each player. A day ahead with planned sessions of the team (training
    sessions, calendar practices, and games given an intended RPE; int_planned_sessions) carries their planned
    loads (Σ intended RPE × minutes, AU), so a taper before a key game shows as light days before it. The rest of a
    planned week — its planned load less its sessions' planned loads, when the week's total exceeds them — is
    spread evenly over its days without a planned load (all seven when none is scheduled: the week's load ÷ 7);
    when the sessions already reach the week's total, days without a session count 0. Days of weeks not planned
    count their sessions' loads, or 0. -#}
{%- set fitness_decay = 1 - 2 / (42 + 1) -%}
{%- set fatigue_decay = 1 - 2 / (7 + 1) -%}

with history as (

    select
        org_id,
        player_id,
        team_id,
        session_date as metric_date,
        cast(session_rpe_load_au as double precision) as load_au,
        false as is_projected
    from {{ ref('fct_player_daily_load') }}

),

last_days as (

    select history.org_id, history.player_id, history.team_id, history.metric_date as last_date
    from history
    inner join (
        select player_id, max(metric_date) as last_date from history group by player_id
    ) as latest
        on latest.player_id = history.player_id
        and latest.last_date = history.metric_date

),

plan_weeks as (

    select * from {{ ref('int_plan_weeks_current') }}

),

horizons as (

    select last_days.org_id, last_days.player_id, last_days.team_id, last_days.last_date,
        max(plan_weeks.week_start + 6) as projection_end
    from last_days
    inner join plan_weeks
        on plan_weeks.org_id = last_days.org_id
        and plan_weeks.team_id = last_days.team_id
        and plan_weeks.week_start + 6 > last_days.last_date
    group by 1, 2, 3, 4

),

planned_days as (

    select org_id, team_id, session_date, sum(planned_load_au) as planned_load_au
    from {{ ref('int_planned_sessions') }}
    where team_id is not null
        and planned_load_au is not null
    group by 1, 2, 3

),

-- what the plan's week leaves beyond its scheduled sessions, per day without one
week_rest as (

    select
        plan_weeks.org_id,
        plan_weeks.team_id,
        plan_weeks.week_start,
        greatest(plan_weeks.planned_load_au - coalesce(sum(planned_days.planned_load_au), 0), 0)
            / cast(7 - count(planned_days.session_date) as double precision) as rest_per_free_day_au
    from plan_weeks
    left join planned_days
        on planned_days.org_id = plan_weeks.org_id
        and planned_days.team_id = plan_weeks.team_id
        and planned_days.session_date between plan_weeks.week_start and plan_weeks.week_start + 6
    group by plan_weeks.org_id, plan_weeks.team_id, plan_weeks.week_start, plan_weeks.planned_load_au
    having count(planned_days.session_date) < 7

),

future_days as (

    select horizons.org_id, horizons.player_id, horizons.team_id, horizons.last_date + offsets.day_offset as metric_date
    from horizons
    cross join ({{ day_offsets() }}) as offsets
    where offsets.day_offset between 1 and horizons.projection_end - horizons.last_date

),

future as (

    select
        future_days.org_id,
        future_days.player_id,
        future_days.team_id,
        future_days.metric_date,
        coalesce(cast(planned_days.planned_load_au as double precision), week_rest.rest_per_free_day_au, 0) as load_au,
        true as is_projected
    from future_days
    left join planned_days
        on planned_days.org_id = future_days.org_id
        and planned_days.team_id = future_days.team_id
        and planned_days.session_date = future_days.metric_date
    left join week_rest
        on week_rest.org_id = future_days.org_id
        and week_rest.team_id = future_days.team_id
        and future_days.metric_date between week_rest.week_start and week_rest.week_start + 6

),

series as (

    select * from history
    union all
    select * from future

),

ewma as (

    select
        today.player_id,
        today.metric_date,
        sum({{ 1 - fitness_decay }} * power({{ fitness_decay }}, today.metric_date - earlier.metric_date)
            * earlier.load_au) as fitness_au,
        sum({{ 1 - fatigue_decay }} * power({{ fatigue_decay }}, today.metric_date - earlier.metric_date)
            * earlier.load_au) as fatigue_au
    from series as today
    inner join series as earlier
        on today.player_id = earlier.player_id
        and earlier.metric_date between today.metric_date - {{ var('ewma_horizon_days') - 1 }}
            and today.metric_date
    group by today.player_id, today.metric_date

)

select
    cast(series.player_id || '|' || cast(series.metric_date as varchar) as varchar) as player_day_id,
    cast(series.org_id as varchar) as org_id,
    cast(series.player_id as varchar) as player_id,
    cast(series.team_id as varchar) as team_id,
    cast(series.metric_date as date) as metric_date,
    cast(series.is_projected as boolean) as is_projected,
    {{ rounded('series.load_au', 2) }} as load_au,
    {{ rounded('ewma.fitness_au', 2) }} as fitness_au,
    {{ rounded('ewma.fatigue_au', 2) }} as fatigue_au,
    {{ rounded('ewma.fitness_au - ewma.fatigue_au', 2) }} as form_au
from series
inner join ewma
    on ewma.player_id = series.player_id
    and ewma.metric_date = series.metric_date
