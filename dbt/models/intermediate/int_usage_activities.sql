-- Every action that shows someone using Hockey Hub, one row each, on the club's calendar day. The person is who
-- acted (a parent answering for a child counts as the parent's use), taken from the event envelope's actor.
with clubs as (

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

activities as (

    select event_id, org_id, user_id, occurred_at, 'sign_in' as feature
    from {{ ref('stg_users__session_signed_in') }}
    union all
    select event_id, org_id, coalesce(actor_id, player_id), occurred_at, 'rpe_log'
    from {{ ref('stg_training__session_rpe_logged') }}
    union all
    select event_id, org_id, coalesce(answered_by, actor_id, player_id), occurred_at, 'wellness'
    from {{ ref('stg_training__wellness_submitted') }}
    union all
    select event_id, org_id, coalesce(answered_by, actor_id, player_id), occurred_at, 'rsvp'
    from {{ ref('stg_calendar__rsvp_recorded') }}
    union all
    select event_id, org_id, user_id, occurred_at, 'dashboard'
    from {{ ref('stg_admin__page_viewed') }}
    union all
    -- already one a person per club day (the calendar service counts the first fetch of a day)
    select event_id, org_id, user_id, occurred_at, 'calendar_feeds'
    from {{ ref('stg_calendar__feed_fetched') }}
    union all
    select event_id, org_id, sender_id, occurred_at, 'messages'
    from {{ ref('stg_comms__message_sent') }}

)

select
    cast(activities.event_id as varchar) as activity_id,
    cast(activities.org_id as varchar) as org_id,
    cast(activities.user_id as varchar) as user_id,
    cast(activities.feature as varchar) as feature,
    activities.occurred_at,
    {{ local_date('activities.occurred_at', 'clubs.time_zone') }} as activity_date
from activities
left join clubs on activities.org_id = clubs.org_id
where activities.user_id is not null
