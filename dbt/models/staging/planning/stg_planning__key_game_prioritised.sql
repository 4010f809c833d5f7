with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'planning.key_game.prioritised'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'series_id') }} as varchar) as series_id,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        cast({{ json_text('data', 'title') }} as varchar) as title,
        cast({{ json_text('data', 'starts_at') }} as timestamp with time zone) as starts_at,
        cast({{ json_text('data', 'priority') }} as varchar) as priority,
        loaded_at

    from source

)

select * from renamed
