{#- Rolling windows count rows: fct_player_daily_load has exactly one row per player and day (zero-filled). -#}
{%- set ewma_acute_decay = 1 - 2 / (7 + 1) -%}
{%- set ewma_chronic_decay = 1 - 2 / (28 + 1) -%}

{{ config(
    materialized='incremental',
    unique_key='player_day_id',
    incremental_strategy='replace_player_days',
    on_schema_change='append_new_columns',
    post_hook='{{ stamp_events_loaded_through() }}',
    rebuild_date_column='metric_date',
    pre_hook=[
        '{{ drop_rebuild_ranges() }}',
        "{{ create_rebuild_ranges('metric_date', 'fct_player_daily_load', 'session_date') }}",
    ],
) }}

{#- Incremental (macros/incremental.sql): a run takes every day of each touched player (history_days counts them
    all, the windows look back up to ewma_horizon_days) and keeps the days from the earliest one touched. -#}
with daily_load as (

    {% if is_incremental() %}
    select daily_load.*, rebuilt.from_date
    from {{ ref('fct_player_daily_load') }} as daily_load
    inner join {{ rebuild_ranges() }} as rebuilt
        on daily_load.player_id = rebuilt.player_id
    {% else %}
    select *, cast(null as date) as from_date from {{ ref('fct_player_daily_load') }}
    {% endif %}

),

windows as (

    select
        player_day_id,
        org_id,
        player_id,
        team_id,
        session_date,
        from_date,
        session_rpe_load_au,
        day_has_data,
        check_entry_reason,
        highest_load_previous_28_days_au,
        row_number() over (partition by player_id order by session_date) as history_days,
        sum(case when day_has_data then 1 else 0 end) over (
            partition by player_id order by session_date rows between 6 preceding and current row
        ) as days_with_data_last_7,
        sum(case when day_has_data then 1 else 0 end) over (
            partition by player_id order by session_date rows between 27 preceding and current row
        ) as days_with_data_last_28,
        sum(session_rpe_load_au) over (
            partition by player_id order by session_date rows between 6 preceding and current row
        ) as acute_load_au,
        sum(session_rpe_load_au) over (
            partition by player_id order by session_date rows between 27 preceding and current row
        ) as load_last_28_days_au,
        sum(session_rpe_load_au) over (
            partition by player_id order by session_date rows between 27 preceding and 7 preceding
        ) as load_days_7_to_27_before_au,
        avg(cast(session_rpe_load_au as double precision)) over (
            partition by player_id order by session_date rows between 6 preceding and current row
        ) as mean_daily_load_last_7_au,
        stddev_samp(cast(session_rpe_load_au as double precision)) over (
            partition by player_id order by session_date rows between 6 preceding and current row
        ) as sd_daily_load_last_7_au
    from daily_load

),

-- EWMA_t = λ·load_t + (1 − λ)·EWMA_t−1 with EWMA = 0 before the first log, written as its closed form
-- Σ λ(1 − λ)^k · load_t−k so that it needs no recursion.
ewma as (

    select
        today.player_id,
        today.session_date,
        sum({{ 1 - ewma_acute_decay }} * power({{ ewma_acute_decay }}, today.session_date - earlier.session_date)
            * earlier.session_rpe_load_au) as ewma_acute_load_au,
        sum({{ 1 - ewma_chronic_decay }} * power({{ ewma_chronic_decay }}, today.session_date - earlier.session_date)
            * earlier.session_rpe_load_au) as ewma_chronic_load_au
    from daily_load as today
    inner join daily_load as earlier
        on today.player_id = earlier.player_id
        and earlier.session_date between today.session_date - {{ var('ewma_horizon_days') - 1 }}
            and today.session_date
    {% if is_incremental() %}
    where today.session_date >= today.from_date
    {% endif %}
    group by today.player_id, today.session_date

),

-- Loads are rounded before the ratios are taken, so that the acute and chronic values a reader sees divide to
-- exactly the ratio shown (to its 3 decimals).
metrics as (

    select
        windows.*,
        {{ rounded('load_last_28_days_au / 4.0', 2) }} as chronic_load_coupled_weekly_au,
        {{ rounded('coalesce(load_days_7_to_27_before_au, 0) / 3.0', 2) }} as chronic_load_uncoupled_weekly_au,
        {{ rounded('ewma.ewma_acute_load_au', 2) }} as ewma_acute_load_au,
        {{ rounded('ewma.ewma_chronic_load_au', 2) }} as ewma_chronic_load_au,
        case
            when history_days < {{ var('acwr_min_history_days') }} then 'under_28_days_of_history'
            -- an empty acute week would show as a ratio of 0, "low", about a player who simply stopped logging
            when days_with_data_last_7 = 0 then 'no_entries_in_last_7_days'
            when days_with_data_last_28 < {{ var('acwr_min_days_with_data_in_28') }}
                then 'under_21_of_28_days_with_data'
        end as acwr_withheld_reason
    from windows
    inner join ewma
        on windows.player_id = ewma.player_id
        and windows.session_date = ewma.session_date

),

ratios as (

    select
        metrics.*,
        case when acwr_withheld_reason is null and chronic_load_coupled_weekly_au > 0
            then {{ rounded('acute_load_au / chronic_load_coupled_weekly_au', 3) }}
        end as acwr_coupled_rolling,
        case when acwr_withheld_reason is null and chronic_load_uncoupled_weekly_au > 0
            then {{ rounded('acute_load_au / chronic_load_uncoupled_weekly_au', 3) }}
        end as acwr_uncoupled_rolling,
        case when acwr_withheld_reason is null and ewma_chronic_load_au > 0
            then {{ rounded('ewma_acute_load_au / ewma_chronic_load_au', 3) }}
        end as acwr_ewma,
        -- Foster's monotony needs a full week, and is undefined when every day of it had the same load.
        case when history_days >= 7 and sd_daily_load_last_7_au > 0
            then mean_daily_load_last_7_au / sd_daily_load_last_7_au
        end as unrounded_monotony
    from metrics

)

select
    cast(player_day_id as varchar) as player_day_id,
    cast(org_id as varchar) as org_id,
    cast(player_id as varchar) as player_id,
    cast(team_id as varchar) as team_id,
    cast(session_date as date) as metric_date,
    cast(session_rpe_load_au as bigint) as session_rpe_load_au,
    cast(day_has_data as boolean) as day_has_data,
    cast(history_days as integer) as history_days,
    cast(days_with_data_last_7 as integer) as days_with_data_last_7,
    cast(days_with_data_last_28 as integer) as days_with_data_last_28,
    -- how much of the chronic window the ACWR rests on: days before a player's first entry count as missing
    cast({{ rounded('days_with_data_last_28 / 28.0', 3) }} as double precision) as data_completeness_last_28,
    cast(acute_load_au as bigint) as acute_load_au,
    cast(chronic_load_coupled_weekly_au as double precision) as chronic_load_coupled_weekly_au,
    cast(chronic_load_uncoupled_weekly_au as double precision) as chronic_load_uncoupled_weekly_au,
    cast(ewma_acute_load_au as double precision) as ewma_acute_load_au,
    cast(ewma_chronic_load_au as double precision) as ewma_chronic_load_au,
    cast(acwr_withheld_reason as varchar) as acwr_withheld_reason,
    cast(acwr_coupled_rolling as double precision) as acwr_coupled_rolling,
    cast({{ acwr_band('acwr_coupled_rolling') }} as varchar) as acwr_coupled_rolling_band,
    cast(acwr_uncoupled_rolling as double precision) as acwr_uncoupled_rolling,
    cast({{ acwr_band('acwr_uncoupled_rolling') }} as varchar) as acwr_uncoupled_rolling_band,
    cast(acwr_ewma as double precision) as acwr_ewma,
    cast({{ acwr_band('acwr_ewma') }} as varchar) as acwr_ewma_band,
    cast({{ rounded('unrounded_monotony', 3) }} as double precision) as training_monotony,
    cast({{ rounded('acute_load_au * unrounded_monotony', 1) }} as double precision) as training_strain_au,
    cast(check_entry_reason as varchar) as check_entry_reason,
    cast(highest_load_previous_28_days_au as bigint) as highest_load_previous_28_days_au,
    cast(null as timestamp with time zone) as events_loaded_through
from ratios
