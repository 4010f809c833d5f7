with announcements as (

    select * from {{ ref('stg_comms__announcement_published') }}
    where requires_ack

),

-- comms sends only a player's first acknowledgement; min() keeps it so should one arrive twice
acknowledgements as (

    select org_id, announcement_id, player_id, min(acknowledged_at) as acknowledged_at
    from {{ ref('stg_comms__announcement_acknowledged') }}
    group by org_id, announcement_id, player_id

),

-- the team's players when it was published, and anyone who acknowledged it (a player who joined later is asked too)
recipients as (

    select announcements.announcement_id, memberships.player_id
    from announcements
    inner join {{ ref('dim_team_memberships') }} as memberships
        on memberships.org_id = announcements.org_id
        and memberships.team_id = announcements.team_id
        and memberships.role = 'player'
        and memberships.valid_from <= announcements.occurred_at
        and (memberships.valid_to is null or memberships.valid_to > announcements.occurred_at)
    union
    select announcement_id, player_id from acknowledgements

),

expected as (

    select announcement_id, count(*) as recipients_expected
    from recipients
    group by announcement_id

),

answered as (

    select
        announcements.announcement_id,
        count(*) as acknowledged,
        sum(
            case
                when announcements.deadline is null or acknowledgements.acknowledged_at <= announcements.deadline
                    then 1
                else 0
            end
        ) as acknowledged_by_deadline,
        percentile_cont(0.5) within group (
            order by extract(epoch from (acknowledgements.acknowledged_at - announcements.occurred_at)) / 3600.0
        ) as median_hours_to_acknowledge
    from announcements
    inner join acknowledgements
        on acknowledgements.org_id = announcements.org_id
        and acknowledgements.announcement_id = announcements.announcement_id
    group by announcements.announcement_id

)

select
    cast(announcements.announcement_id as varchar) as announcement_id,
    cast(announcements.org_id as varchar) as org_id,
    cast(announcements.team_id as varchar) as team_id,
    cast(announcements.occurred_at as timestamp with time zone) as published_at,
    cast(announcements.deadline as timestamp with time zone) as deadline,
    cast(coalesce(expected.recipients_expected, 0) as bigint) as recipients_expected,
    cast(coalesce(answered.acknowledged, 0) as bigint) as acknowledged,
    cast(coalesce(answered.acknowledged_by_deadline, 0) as bigint) as acknowledged_by_deadline,
    cast(
        case
            when coalesce(expected.recipients_expected, 0) = 0 then null
            else {{ rounded('coalesce(answered.acknowledged_by_deadline, 0) * 1.0 / expected.recipients_expected', 4) }}
        end as double precision
    ) as share_acknowledged_by_deadline,
    cast({{ rounded('answered.median_hours_to_acknowledge', 2) }} as double precision) as median_hours_to_acknowledge
from announcements
left join expected on expected.announcement_id = announcements.announcement_id
left join answered on answered.announcement_id = announcements.announcement_id
