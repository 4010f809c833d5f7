-- Fees per club, age group (the team's, from dim_teams) and currency; void invoices count nowhere, and invoices of a
-- team without an age group (or none) fall under '-'.
with live as (

    select invoices.*, coalesce(teams.age_group, '-') as age_group
    from {{ ref('fct_invoices') }} as invoices
    left join {{ ref('dim_teams') }} as teams
        on teams.team_id = invoices.team_id and teams.org_id = invoices.org_id
    where invoices.invoice_status != 'void'

)

select
    cast(org_id || '|' || age_group || '|' || currency as varchar) as org_age_group_currency_id,
    cast(org_id as varchar) as org_id,
    cast(age_group as varchar) as age_group,
    cast(currency as varchar) as currency,
    cast(count(*) as bigint) as invoices_issued,
    cast(sum(total_minor - credited_minor) as bigint) as invoiced_minor,
    cast(round(avg(total_minor - credited_minor)) as bigint) as average_fee_minor,
    cast(sum(paid_minor) as bigint) as collected_minor,
    cast(sum(outstanding_minor) as bigint) as outstanding_minor,
    cast(sum(case when is_overdue then outstanding_minor else 0 end) as bigint) as overdue_minor,
    cast(sum(case when is_overdue then 1 else 0 end) as bigint) as invoices_overdue,
    cast(
        sum(paid_minor) * 1.0 / nullif(sum(total_minor - credited_minor), 0) as double precision
    ) as collection_rate,
    cast(avg(days_to_pay) as double precision) as average_days_to_pay
from live
group by org_id, age_group, currency
