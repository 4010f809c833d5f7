with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'planning.week.planned'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'week_id') }} as varchar) as week_id,
        cast({{ json_text('data', 'plan_id') }} as varchar) as plan_id,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        cast({{ json_text('data', 'week_start') }} as date) as week_start,
        cast({{ json_text('data', 'mesocycle_id') }} as varchar) as mesocycle_id,
        cast({{ json_text('data', 'focus') }} as varchar) as focus,
        cast({{ json_text('data', 'planned_sessions') }} as integer) as planned_sessions,
        cast({{ json_text('data', 'planned_load_au') }} as integer) as planned_load_au,
        cast({{ json_nested_text('data', 'intensity_mix', 'low_pct') }} as integer) as low_pct,
        cast({{ json_nested_text('data', 'intensity_mix', 'moderate_pct') }} as integer) as moderate_pct,
        cast({{ json_nested_text('data', 'intensity_mix', 'high_pct') }} as integer) as high_pct,
        loaded_at

    from source

)

select * from renamed
