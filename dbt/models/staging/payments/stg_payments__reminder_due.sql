with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'payments.reminder.due'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        occurred_at,
        cast(occurred_at as date) as sent_on,
        cast({{ json_text('data', 'reminder_id') }} as varchar) as reminder_id,
        cast({{ json_text('data', 'invoice_id') }} as varchar) as invoice_id,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        cast({{ json_text('data', 'level') }} as integer) as reminder_level,
        cast({{ json_text('data', 'days_overdue') }} as integer) as days_overdue,
        cast({{ json_text('data', 'amount_due_minor') }} as bigint) as amount_due_minor,
        cast({{ json_text('data', 'currency') }} as varchar) as currency,
        cast({{ json_text('data', 'pay_by') }} as date) as pay_by,
        loaded_at

    from source

)

select * from renamed
