-- Per club, team and currency (amounts of two currencies never add up). Void invoices count nowhere.
with live as (

    select * from {{ ref('fct_invoices') }}
    where invoice_status != 'void'

)

select
    cast(org_id || '|' || coalesce(team_id, '-') || '|' || currency as varchar) as org_team_currency_id,
    cast(org_id as varchar) as org_id,
    cast(team_id as varchar) as team_id,
    cast(currency as varchar) as currency,
    cast(count(*) as bigint) as invoices_issued,
    cast(sum(total_minor - credited_minor) as bigint) as invoiced_minor,
    cast(sum(paid_minor) as bigint) as collected_minor,
    cast(sum(outstanding_minor) as bigint) as outstanding_minor,
    cast(sum(case when is_overdue then outstanding_minor else 0 end) as bigint) as overdue_minor,
    cast(sum(case when is_overdue then 1 else 0 end) as bigint) as invoices_overdue,
    cast(
        sum(paid_minor) * 1.0 / nullif(sum(total_minor - credited_minor), 0) as double precision
    ) as collection_rate,
    cast(avg(days_to_pay) as double precision) as average_days_to_pay
from live
group by org_id, team_id, currency
