with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'comms.message.edited'

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
        cast({{ json_text('data', 'sender_id') }} as varchar) as sender_id,
        cast({{ json_text('data', 'edited_at') }} as timestamp with time zone) as edited_at,
        loaded_at

    from source

)

select * from renamed
