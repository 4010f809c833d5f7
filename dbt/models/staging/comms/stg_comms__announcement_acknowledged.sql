with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'comms.announcement.acknowledged'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'announcement_id') }} as varchar) as announcement_id,
        cast({{ json_text('data', 'player_id') }} as varchar) as player_id,
        cast({{ json_text('data', 'acknowledged_by') }} as varchar) as acknowledged_by,
        cast({{ json_text('data', 'acknowledged_at') }} as timestamp with time zone) as acknowledged_at,
        loaded_at

    from source

)

select * from renamed
