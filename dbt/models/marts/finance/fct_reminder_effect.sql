-- What each reminder level achieves: of the reminders of a level, the share whose invoice was settled within
-- `reminder_effect_days` days (default 14) after the reminder went out.
{% set within_days = var('reminder_effect_days', 14) %}

with reminders as (

    select
        reminders.org_id,
        reminders.reminder_level,
        reminders.currency,
        reminders.amount_due_minor,
        reminders.sent_on,
        invoices.paid_on,
        case
            when invoices.invoice_status = 'paid' and invoices.paid_on >= reminders.sent_on
                and invoices.paid_on <= reminders.sent_on + {{ within_days }}
                then 1
            else 0
        end as paid_within
    from {{ ref('stg_payments__reminder_due') }} as reminders
    left join {{ ref('fct_invoices') }} as invoices
        on invoices.invoice_id = reminders.invoice_id and invoices.org_id = reminders.org_id

)

select
    cast(org_id || '|' || cast(reminder_level as varchar) || '|' || currency as varchar) as org_level_currency_id,
    cast(org_id as varchar) as org_id,
    cast(reminder_level as integer) as reminder_level,
    cast(currency as varchar) as currency,
    cast(count(*) as bigint) as reminders_sent,
    cast(sum(amount_due_minor) as bigint) as reminded_minor,
    cast(sum(paid_within) as bigint) as paid_within_days,
    cast({{ within_days }} as integer) as within_days,
    cast(sum(paid_within) * 1.0 / count(*) as double precision) as share_paid_within_days
from reminders
group by org_id, reminder_level, currency
