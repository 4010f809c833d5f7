with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'calendar.rsvp.recorded'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'series_id') }} as varchar) as series_id,
        cast({{ json_text('data', 'occurrence_start') }} as timestamp with time zone) as occurrence_start,
        cast({{ json_text('data', 'player_id') }} as varchar) as player_id,
        cast({{ json_text('data', 'response') }} as varchar) as rsvp_response,
        cast({{ json_text('data', 'reason') }} as varchar) as reason,
        cast({{ json_text('data', 'answered_by') }} as varchar) as answered_by,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        cast({{ json_text('data', 'event_kind') }} as varchar) as event_kind,
        loaded_at

    from source

)

select * from renamed
