with spans as (

    select * from {{ ref('int_team_memberships_spanned') }}
    where role = 'player'

),

changes as (

    select * from {{ ref('stg_medical__availability_changed') }}

),

first_change as (

    select org_id, player_id, min(effective_from) as first_effective_from
    from changes
    group by org_id, player_id

),

-- A roster span's days up to today (its end day is the first day off the team). Medical data is often entered for
-- days before the roster was set up, so a player's first span reaches back to their first availability change.
span_bounds as (

    select
        spans.org_id,
        spans.team_id,
        spans.user_id as player_id,
        case
            when spans.is_first_player_span and first_change.first_effective_from < spans.valid_from_date
                then first_change.first_effective_from
            else spans.valid_from_date
        end as first_day,
        coalesce(spans.valid_to_date - 1, current_date) as last_day
    from spans
    left join first_change
        on first_change.org_id = spans.org_id
        and first_change.player_id = spans.user_id

),

day_offsets as (

    {{ day_offsets() }}

),

roster_days as (

    select distinct
        span_bounds.org_id,
        span_bounds.team_id,
        span_bounds.player_id,
        span_bounds.first_day + day_offsets.day_offset as roster_date
    from span_bounds
    inner join day_offsets on day_offsets.day_offset <= span_bounds.last_day - span_bounds.first_day

),

-- The status in force on a day: the change with the latest effective day that had begun (a later recording wins
-- a tie), as dim_player_availability does for today. A player with no change was available.
statuses as (

    select
        roster_days.*,
        coalesce(changes.availability_status, 'available') as availability_status,
        row_number() over (
            partition by roster_days.team_id, roster_days.player_id, roster_days.roster_date
            order by changes.effective_from desc, changes.occurred_at desc, changes.event_id desc
        ) as recency_rank
    from roster_days
    left join changes
        on changes.org_id = roster_days.org_id
        and changes.player_id = roster_days.player_id
        and changes.effective_from <= roster_days.roster_date

),

weekly as (

    select
        org_id,
        team_id,
        cast(date_trunc('week', roster_date) as date) as week_start,
        count(*) as player_days,
        sum(case when availability_status = 'available' then 1 else 0 end) as available_player_days,
        sum(case when availability_status = 'limited' then 1 else 0 end) as limited_player_days,
        sum(case when availability_status = 'unavailable' then 1 else 0 end) as unavailable_player_days
    from statuses
    where recency_rank = 1
    group by org_id, team_id, cast(date_trunc('week', roster_date) as date)

)

select
    cast(team_id || '|' || cast(week_start as varchar) as varchar) as team_week_id,
    cast(org_id as varchar) as org_id,
    cast(team_id as varchar) as team_id,
    cast(week_start as date) as week_start,
    cast(player_days as bigint) as player_days,
    cast(available_player_days as bigint) as available_player_days,
    cast(limited_player_days as bigint) as limited_player_days,
    cast(unavailable_player_days as bigint) as unavailable_player_days,
    {{ rounded('100.0 * available_player_days / player_days', 3) }} as availability_pct,
    {{ rounded('100.0 * (available_player_days + limited_player_days) / player_days', 3) }} as participation_pct
from weekly
