with created as (

    select org_id, user_id, full_name, org_roles_json, position, jersey_number, occurred_at, event_id
    from {{ ref('stg_users__user_created') }}

),

updated as (

    select org_id, user_id, full_name, org_roles_json, position, jersey_number, occurred_at, event_id
    from {{ ref('stg_users__user_updated') }}

),

-- Created and updated events both carry the whole profile: the latest one is the profile now.
profiles_latest_first as (

    select
        profiles.*,
        row_number() over (partition by org_id, user_id order by occurred_at desc, event_id desc) as recency_rank
    from (
        select * from created
        union all
        select * from updated
    ) as profiles

),

births as (

    select org_id, user_id, max(birth_year) as birth_year, min(occurred_at) as created_at
    from {{ ref('stg_users__user_created') }}
    group by org_id, user_id

),

deactivations as (

    select org_id, user_id, max(occurred_at) as deactivated_at
    from {{ ref('stg_users__user_deactivated') }}
    group by org_id, user_id

),

anonymizations as (

    select org_id, user_id, max(occurred_at) as anonymized_at
    from {{ ref('stg_users__user_anonymized') }}
    group by org_id, user_id

),

players as (

    select distinct org_id, user_id
    from {{ ref('int_team_memberships_spanned') }}
    where role = 'player'

)

select
    cast(profiles.user_id as varchar) as player_id,
    cast(profiles.org_id as varchar) as org_id,
    -- a person who asked to be forgotten keeps their statistics, under no name
    cast(case when anonymizations.anonymized_at is not null then 'Former player' else profiles.full_name end
        as varchar) as player_name,
    cast(case when anonymizations.anonymized_at is null then births.birth_year end as integer) as birth_year,
    cast(case when anonymizations.anonymized_at is null then profiles.position end as varchar) as position,
    cast(case when anonymizations.anonymized_at is null then profiles.jersey_number end as integer) as jersey_number,
    cast(players.user_id is not null as boolean) as is_player,
    cast(deactivations.deactivated_at is null and anonymizations.anonymized_at is null as boolean) as is_active,
    cast(deactivations.deactivated_at as timestamp with time zone) as deactivated_at,
    cast(anonymizations.anonymized_at is not null as boolean) as is_anonymized,
    cast(births.created_at as timestamp with time zone) as created_at
from profiles_latest_first as profiles
left join births on profiles.org_id = births.org_id and profiles.user_id = births.user_id
left join deactivations on profiles.org_id = deactivations.org_id and profiles.user_id = deactivations.user_id
left join anonymizations on profiles.org_id = anonymizations.org_id and profiles.user_id = anonymizations.user_id
left join players on profiles.org_id = players.org_id and profiles.user_id = players.user_id
where profiles.recency_rank = 1
