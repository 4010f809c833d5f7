with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'training.session.updated'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'session_id') }} as varchar) as session_id,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        cast({{ json_text('data', 'starts_at') }} as timestamp with time zone) as starts_at,
        cast({{ json_text('data', 'planned_duration_minutes') }} as integer) as planned_duration_minutes,
        cast({{ json_text('data', 'planned_rpe') }} as integer) as planned_rpe,
        cast({{ json_text('data', 'calendar_event_id') }} as varchar) as calendar_event_id,
        loaded_at

    from source

)

select * from renamed
