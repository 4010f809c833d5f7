with added as (

    select org_id, membership_id, user_id, team_id, role, occurred_at, event_id, 'added' as change_kind
    from {{ ref('stg_users__membership_added') }}

),

role_changed as (

    select org_id, membership_id, user_id, team_id, role, occurred_at, event_id, 'role_changed' as change_kind
    from {{ ref('stg_users__membership_role_changed') }}

),

removed as (

    select org_id, membership_id, user_id, team_id, role, occurred_at, event_id, 'removed' as change_kind
    from {{ ref('stg_users__membership_removed') }}

),

changes as (

    select * from added
    union all
    select * from role_changed
    union all
    select * from removed

),

clubs as (

    select org_id, time_zone
    from (
        select
            org_id,
            time_zone,
            row_number() over (partition by org_id order by occurred_at desc, event_id desc) as recency_rank
        from {{ ref('stg_users__organization_created') }}
    ) as ranked
    where recency_rank = 1

),

-- Each change opens a span that the membership's next change closes; a removal opens none.
sequenced as (

    select
        changes.*,
        row_number() over (partition by membership_id order by occurred_at, event_id) as change_number,
        lead(occurred_at) over (partition by membership_id order by occurred_at, event_id) as next_change_at
    from changes

),

spans as (

    select
        sequenced.*,
        clubs.time_zone
    from sequenced
    left join clubs on sequenced.org_id = clubs.org_id
    where change_kind <> 'removed'

)

select
    cast(membership_id || '|' || cast(change_number as varchar) as varchar) as membership_span_id,
    cast(membership_id as varchar) as membership_id,
    cast(org_id as varchar) as org_id,
    cast(user_id as varchar) as user_id,
    cast(team_id as varchar) as team_id,
    cast(role as varchar) as role,
    cast(occurred_at as timestamp with time zone) as valid_from,
    cast(next_change_at as timestamp with time zone) as valid_to,
    {{ local_date('occurred_at', 'time_zone') }} as valid_from_date,
    case when next_change_at is not null then {{ local_date('next_change_at', 'time_zone') }} end as valid_to_date,
    cast(next_change_at is null as boolean) as is_current,
    cast(
        role = 'player' and row_number() over (
            partition by org_id, user_id, role = 'player' order by occurred_at, membership_id, change_number
        ) = 1 as boolean
    ) as is_first_player_span
from spans
