with clubs as (

    select *
    from (
        select
            *,
            row_number() over (partition by org_id order by occurred_at desc, event_id desc) as recency_rank
        from {{ ref('stg_users__organization_created') }}
    ) as ranked
    where recency_rank = 1

),

-- each configuration event carries the whole configuration: the latest is the club's now
configurations as (

    select *
    from (
        select
            *,
            row_number() over (partition by org_id order by occurred_at desc, event_id desc) as recency_rank
        from {{ ref('stg_users__club_configuration_changed') }}
    ) as ranked
    where recency_rank = 1

)

select
    cast(clubs.org_id as varchar) as org_id,
    cast(clubs.organization_name as varchar) as club_name,
    cast(clubs.time_zone as varchar) as time_zone,
    cast(clubs.language as varchar) as language,
    cast(clubs.plan as varchar) as plan,
    cast(coalesce(configurations.default_acwr_variant, 'uncoupled_rolling') as varchar) as default_acwr_variant,
    cast(coalesce(configurations.wellness_questionnaire, 'hooper') as varchar) as wellness_questionnaire,
    cast(clubs.occurred_at as timestamp with time zone) as created_at
from clubs
left join configurations on clubs.org_id = configurations.org_id
