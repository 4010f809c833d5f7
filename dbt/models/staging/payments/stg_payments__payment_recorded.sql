with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'payments.payment.recorded'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        occurred_at,
        cast({{ json_text('data', 'payment_id') }} as varchar) as payment_id,
        cast({{ json_text('data', 'invoice_id') }} as varchar) as invoice_id,
        cast({{ json_text('data', 'player_id') }} as varchar) as player_id,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        cast({{ json_text('data', 'amount_minor') }} as bigint) as amount_minor,
        cast({{ json_text('data', 'currency') }} as varchar) as currency,
        cast({{ json_text('data', 'method') }} as varchar) as payment_method,
        cast({{ json_text('data', 'received_on') }} as date) as received_on,
        loaded_at

    from source

)

select * from renamed
