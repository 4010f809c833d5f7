with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'calendar.event.cancelled'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'series_id') }} as varchar) as series_id,
        cast({{ json_text('data', 'scope') }} as varchar) as change_scope,
        cast({{ json_text('data', 'occurrence_start') }} as timestamp with time zone) as occurrence_start,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        loaded_at

    from source

)

select * from renamed
