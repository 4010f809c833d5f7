with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'payments.refund.recorded'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        occurred_at,
        cast({{ json_text('data', 'refund_id') }} as varchar) as refund_id,
        cast({{ json_text('data', 'payment_id') }} as varchar) as payment_id,
        cast({{ json_text('data', 'invoice_id') }} as varchar) as invoice_id,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        cast({{ json_text('data', 'amount_minor') }} as bigint) as amount_minor,
        cast({{ json_text('data', 'currency') }} as varchar) as currency,
        cast({{ json_text('data', 'destination') }} as varchar) as destination,
        cast({{ json_text('data', 'refunded_on') }} as date) as refunded_on,
        loaded_at

    from source

)

select * from renamed
