with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'comms.notification.delivered'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'notification_id') }} as varchar) as notification_id,
        cast({{ json_text('data', 'recipient_id') }} as varchar) as recipient_id,
        cast({{ json_text('data', 'channel') }} as varchar) as channel,
        cast({{ json_text('data', 'category') }} as varchar) as category,
        cast({{ json_text('data', 'outcome') }} as varchar) as outcome,
        loaded_at

    from source

)

select * from renamed
