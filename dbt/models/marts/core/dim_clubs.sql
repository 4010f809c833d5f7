select
    cast(org_id as varchar) as org_id,
    cast(organization_name as varchar) as club_name,
    cast(time_zone as varchar) as time_zone,
    cast(language as varchar) as language,
    cast(plan as varchar) as plan,
    cast(occurred_at as timestamp with time zone) as created_at
from (
    select
        *,
        row_number() over (partition by org_id order by occurred_at desc, event_id desc) as recency_rank
    from {{ ref('stg_users__organization_created') }}
) as ranked
where recency_rank = 1
