with attendance as (

    select * from {{ ref('stg_calendar__attendance_recorded') }}

),

rsvps as (

    select * from {{ ref('stg_calendar__rsvp_recorded') }}

),

-- A coach may correct a record, a player change an answer: the latest of each counts.
attendance_latest_first as (

    select
        *,
        row_number() over (
            partition by series_id, occurrence_start, player_id
            order by occurred_at desc, event_id desc
        ) as recency_rank
    from attendance

),

rsvps_latest_first as (

    select
        *,
        row_number() over (
            partition by series_id, occurrence_start, player_id
            order by occurred_at desc, event_id desc
        ) as recency_rank
    from rsvps

),

latest_rsvp as (

    select series_id, occurrence_start, player_id, rsvp_response
    from rsvps_latest_first
    where recency_rank = 1

)

select
    cast(
        a.series_id || '|' || cast(a.occurrence_start as varchar) || '|' || a.player_id as varchar
    ) as attendance_id,
    cast(a.org_id as varchar) as org_id,
    cast(a.team_id as varchar) as team_id,
    cast(a.series_id as varchar) as series_id,
    cast(a.occurrence_start as timestamp with time zone) as occurrence_start,
    cast(a.event_kind as varchar) as event_kind,
    cast(a.player_id as varchar) as player_id,
    cast(a.attendance_status as varchar) as attendance_status,
    cast(a.attendance_status in ('present', 'late') as boolean) as attended,
    cast(r.rsvp_response as varchar) as rsvp_response
from attendance_latest_first as a
left join latest_rsvp as r
    on r.series_id = a.series_id
    and r.occurrence_start = a.occurrence_start
    and r.player_id = a.player_id
where a.recency_rank = 1
