with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'training.session_rpe.logged'

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
        cast({{ json_text('data', 'rpe') }} as integer) as rpe,
        cast({{ json_text('data', 'duration_minutes') }} as integer) as duration_minutes,
        cast({{ json_text('data', 'session_rpe_load_au') }} as integer) as session_rpe_load_au,
        cast({{ json_text('data', 'logged_at') }} as timestamp with time zone) as logged_at,
        cast({{ json_text('data', 'session_id') }} as varchar) as session_id,
        cast({{ json_text('data', 'logged_by') }} as varchar) as logged_by,
        loaded_at

    from source

)

select * from renamed
