-- The latest event of an invoice is its state now.
with latest_first as (

    select
        changes.*,
        row_number() over (partition by org_id, invoice_id order by occurred_at desc, event_id desc) as recency_rank
    from {{ ref('stg_payments__invoice_changed') }} as changes

),

invoices as (

    select * from latest_first where recency_rank = 1

)

select
    cast(invoice_id as varchar) as invoice_id,
    cast(org_id as varchar) as org_id,
    cast(team_id as varchar) as team_id,
    cast(player_id as varchar) as player_id,
    cast(payer_id as varchar) as payer_id,
    cast(invoice_number as varchar) as invoice_number,
    cast(invoice_status as varchar) as invoice_status,
    cast(currency as varchar) as currency,
    cast(total_minor as bigint) as total_minor,
    cast(paid_minor as bigint) as paid_minor,
    cast(credited_minor as bigint) as credited_minor,
    cast(
        case when invoice_status in ('open', 'uncollectible') then total_minor - paid_minor - credited_minor else 0 end
        as bigint
    ) as outstanding_minor,
    cast(
        invoice_status = 'open' and due_on < {{ finance_as_of() }} and total_minor - paid_minor - credited_minor > 0
        as boolean
    ) as is_overdue,
    cast(issued_on as date) as issued_on,
    cast(due_on as date) as due_on,
    cast(paid_on as date) as paid_on,
    cast(case when invoice_status = 'paid' then paid_on - issued_on end as integer) as days_to_pay
from invoices
