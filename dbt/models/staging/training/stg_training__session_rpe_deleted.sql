with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'training.session_rpe.deleted'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'log_id') }} as varchar) as log_id,
        cast({{ json_text('data', 'player_id') }} as varchar) as player_id,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        cast({{ json_text('data', 'session_date') }} as date) as session_date,
        cast({{ json_text('data', 'deleted_at') }} as timestamp with time zone) as deleted_at,
        loaded_at

    from source

)

select * from renamed
