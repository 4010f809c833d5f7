with deliveries as (

    select
        org_id,
        channel,
        category,
        outcome,
        notification_id,
        {{ local_date('occurred_at', "'UTC'") }} as delivery_date
    from {{ ref('stg_comms__notification_delivered') }}

),

daily as (

    select
        org_id,
        channel,
        category,
        delivery_date,
        count(distinct case when outcome = 'sent' then notification_id end) as sent,
        count(distinct case when outcome = 'failed' then notification_id end) as failed,
        count(distinct case when outcome = 'bounced' then notification_id end) as bounced
    from deliveries
    group by org_id, channel, category, delivery_date

)

select
    cast(
        org_id || '|' || channel || '|' || category || '|' || cast(delivery_date as varchar) as varchar
    ) as club_channel_category_day_id,
    cast(org_id as varchar) as org_id,
    cast(channel as varchar) as channel,
    cast(category as varchar) as category,
    cast(delivery_date as date) as delivery_date,
    cast(sent as bigint) as sent,
    cast(failed as bigint) as failed,
    cast(bounced as bigint) as bounced
from daily
