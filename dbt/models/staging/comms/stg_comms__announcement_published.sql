with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'comms.announcement.published'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'announcement_id') }} as varchar) as announcement_id,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        cast({{ json_text('data', 'requires_ack') }} as boolean) as requires_ack,
        cast({{ json_text('data', 'deadline') }} as timestamp with time zone) as deadline,
        loaded_at

    from source

)

select * from renamed
