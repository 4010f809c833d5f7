with session_days as (

    select distinct org_id, player_id, session_date as spine_date
    from {{ ref('int_session_rpe_logs_corrected') }}

),

wellness_days as (

    select distinct org_id, player_id, wellness_date as spine_date
    from {{ ref('int_wellness_answers_corrected') }}

),

-- Every club's series runs to the latest day anything was reported in that club, so a player who stopped
-- logging shows falling load rather than a frozen last value.
org_last_day as (

    select org_id, max(spine_date) as last_date
    from (
        select org_id, spine_date from session_days
        union all
        select org_id, spine_date from wellness_days
    ) as reported_days
    group by org_id

),

player_span as (

    select session_days.org_id, session_days.player_id, min(session_days.spine_date) as first_date,
        max(org_last_day.last_date) as last_date
    from session_days
    inner join org_last_day on session_days.org_id = org_last_day.org_id
    group by session_days.org_id, session_days.player_id

),

day_offsets as (

    {{ day_offsets() }}

),

player_days as (

    select
        player_span.org_id,
        player_span.player_id,
        cast(player_span.player_id || '|' || cast(player_span.first_date + day_offsets.day_offset as varchar)
            as varchar) as player_day_id,
        player_span.first_date + day_offsets.day_offset as spine_date,
        cast(null as varchar) as team_id
    from player_span
    inner join day_offsets on day_offsets.day_offset <= player_span.last_date - player_span.first_date

),

rosters as (

    {{ team_attribution('player_days', 'player_day_id', 'spine_date') }}

)

select
    player_days.player_day_id,
    cast(player_days.org_id as varchar) as org_id,
    cast(player_days.player_id as varchar) as player_id,
    cast(player_days.spine_date as date) as spine_date,
    cast(rosters.attributed_team_id as varchar) as roster_team_id,
    cast(session_days.spine_date is not null as boolean) as has_session,
    cast(wellness_days.spine_date is not null as boolean) as has_wellness
from player_days
inner join rosters on player_days.player_day_id = rosters.player_day_id
left join session_days
    on player_days.player_id = session_days.player_id
    and player_days.spine_date = session_days.spine_date
left join wellness_days
    on player_days.player_id = wellness_days.player_id
    and player_days.spine_date = wellness_days.spine_date
