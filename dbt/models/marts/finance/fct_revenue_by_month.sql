-- Money in and out per club, month and currency. A payment from the payer's credit balance is money the club had
-- already received, and a refund kept as credit never leaves the club, so neither moves revenue.
with received as (

    select
        org_id,
        currency,
        cast(date_trunc('month', received_on) as date) as revenue_month,
        amount_minor as collected_minor,
        0 as refunded_minor,
        1 as payments_received
    from {{ ref('stg_payments__payment_recorded') }}
    where payment_method != 'credit_balance'

),

refunded as (

    select
        org_id,
        currency,
        cast(date_trunc('month', refunded_on) as date) as revenue_month,
        0 as collected_minor,
        amount_minor as refunded_minor,
        0 as payments_received
    from {{ ref('stg_payments__refund_recorded') }}
    where destination = 'original'

),

moves as (

    select * from received
    union all
    select * from refunded

)

select
    cast(org_id || '|' || cast(revenue_month as varchar) || '|' || currency as varchar) as org_month_currency_id,
    cast(org_id as varchar) as org_id,
    cast(revenue_month as date) as revenue_month,
    cast(currency as varchar) as currency,
    cast(sum(payments_received) as bigint) as payments_received,
    cast(sum(collected_minor) as bigint) as collected_minor,
    cast(sum(refunded_minor) as bigint) as refunded_minor,
    cast(sum(collected_minor) - sum(refunded_minor) as bigint) as net_revenue_minor
from moves
group by org_id, revenue_month, currency
