with changes as (

    select org_id, team_id, team_name, season, age_group, level, occurred_at, event_id
    from {{ ref('stg_users__team_created') }}
    union all
    select org_id, team_id, team_name, season, age_group, level, occurred_at, event_id
    from {{ ref('stg_users__team_updated') }}

),

-- Both events carry the whole team: the latest one is the team now.
latest_first as (

    select
        changes.*,
        row_number() over (partition by org_id, team_id order by occurred_at desc, event_id desc) as recency_rank,
        min(occurred_at) over (partition by org_id, team_id) as created_at
    from changes

)

select
    cast(team_id as varchar) as team_id,
    cast(org_id as varchar) as org_id,
    cast(team_name as varchar) as team_name,
    cast(season as varchar) as season,
    cast(age_group as varchar) as age_group,
    cast(level as varchar) as level,
    cast(created_at as timestamp with time zone) as created_at,
    cast(occurred_at as timestamp with time zone) as updated_at
from latest_first
where recency_rank = 1
