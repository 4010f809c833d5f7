with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'calendar.event.created'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'series_id') }} as varchar) as series_id,
        cast({{ json_text('data', 'kind') }} as varchar) as event_kind,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        cast({{ json_text('data', 'starts_at') }} as timestamp with time zone) as starts_at,
        cast({{ json_text('data', 'duration_minutes') }} as integer) as duration_minutes,
        cast({{ json_text('data', 'time_zone') }} as varchar) as time_zone,
        cast({{ json_text('data', 'rrule') }} as varchar) as rrule,
        cast({{ json_text('data', 'planned_rpe') }} as integer) as planned_rpe,

        loaded_at

    from source

)

select * from renamed
