{{ config(
    materialized='incremental',
    unique_key='player_day_id',
    incremental_strategy='replace_player_days',
    on_schema_change='append_new_columns',
    post_hook='{{ stamp_events_loaded_through() }}',
    rebuild_date_column='session_date',
    pre_hook=[
        '{{ drop_rebuild_ranges() }}',
        "{{ create_rebuild_ranges('session_date', 'int_club_series_ends', 'last_date') }}",
    ],
) }}
{#- Incremental (macros/incremental.sql): a run rebuilds each touched player's days from the earliest day the new
    events touch, reading the 28 days before it for the window below. Whether a club's series end moved is read
    from int_club_series_ends, a pre-hook's ref, hence: -#}
-- depends_on: {{ ref('int_club_series_ends') }}

with player_days as (

    {% if is_incremental() %}
    select player_days.*, rebuilt.from_date
    from {{ ref('int_player_days_attributed') }} as player_days
    inner join {{ rebuild_ranges() }} as rebuilt
        on player_days.player_id = rebuilt.player_id
        and player_days.spine_date >= rebuilt.from_date - 28
    {% else %}
    select *, cast(null as date) as from_date from {{ ref('int_player_days_attributed') }}
    {% endif %}

),

checked as (

    select
        player_days.*,
        -- one row per day, so 28 rows are 28 days
        max(session_rpe_load_au) over (
            partition by player_id order by spine_date rows between 28 preceding and 1 preceding
        ) as highest_load_previous_28_days_au
    from player_days

)

select
    cast(player_day_id as varchar) as player_day_id,
    cast(org_id as varchar) as org_id,
    cast(player_id as varchar) as player_id,
    cast(team_id as varchar) as team_id,
    cast(spine_date as date) as session_date,
    cast(session_count as integer) as session_count,
    cast(total_duration_minutes as integer) as total_duration_minutes,
    cast(session_rpe_load_au as bigint) as session_rpe_load_au,
    cast(has_wellness as boolean) as wellness_submitted,
    cast(day_has_data as boolean) as day_has_data,
    cast(highest_load_previous_28_days_au as bigint) as highest_load_previous_28_days_au,
    cast(
        case
            when session_rpe_load_au > {{ var('implausible_day_load_au') }} then 'over_load_limit'
            when highest_load_previous_28_days_au > 0
                and session_rpe_load_au > {{ var('implausible_day_multiple') }} * highest_load_previous_28_days_au
                then 'over_3x_recent_high'
        end as varchar
    ) as check_entry_reason,
    cast(null as timestamp with time zone) as events_loaded_through
from checked
{% if is_incremental() %}
where spine_date >= from_date
{% endif %}
