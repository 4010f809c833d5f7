with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'payments.invoice.changed'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        occurred_at,
        cast({{ json_text('data', 'invoice_id') }} as varchar) as invoice_id,
        cast({{ json_text('data', 'number') }} as varchar) as invoice_number,
        cast({{ json_text('data', 'player_id') }} as varchar) as player_id,
        cast({{ json_text('data', 'payer_id') }} as varchar) as payer_id,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        cast({{ json_text('data', 'status') }} as varchar) as invoice_status,
        cast({{ json_text('data', 'currency') }} as varchar) as currency,
        cast({{ json_text('data', 'total_minor') }} as bigint) as total_minor,
        cast({{ json_text('data', 'paid_minor') }} as bigint) as paid_minor,
        cast({{ json_text('data', 'credited_minor') }} as bigint) as credited_minor,
        cast({{ json_text('data', 'issued_on') }} as date) as issued_on,
        cast({{ json_text('data', 'due_on') }} as date) as due_on,
        cast({{ json_text('data', 'paid_on') }} as date) as paid_on,
        loaded_at

    from source

)

select * from renamed
