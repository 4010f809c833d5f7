with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'comms.message.sent'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'message_id') }} as varchar) as message_id,
        cast({{ json_text('data', 'conversation_id') }} as varchar) as conversation_id,
        cast({{ json_text('data', 'conversation_kind') }} as varchar) as conversation_kind,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        cast({{ json_text('data', 'sender_id') }} as varchar) as sender_id,
        loaded_at

    from source

)

select * from renamed
