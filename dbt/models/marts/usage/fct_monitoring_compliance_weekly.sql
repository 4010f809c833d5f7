-- Monitoring compliance per team and ISO week, over the team's players on each day: wellness questionnaires answered
-- ÷ expected (a player on the roster on a day is expected to answer that day), and session-RPE logs ÷ sessions the
-- players attended. A log or answer counts whichever team it is filed under: the question is whether the player
-- keeps logging.
with clubs as (

    select org_id, time_zone from {{ ref('dim_clubs') }}

),

spans as (

    select
        org_id,
        team_id,
        user_id as player_id,
        greatest(valid_from_date, {{ usage_as_of() }} - {{ var('usage_history_days', 400) }}) as first_day,
        least(coalesce(valid_to_date - 1, {{ usage_as_of() }}), {{ usage_as_of() }}) as last_day
    from {{ ref('int_team_memberships_spanned') }}
    where role = 'player' and team_id is not null

),

roster_days as (

    select distinct spans.org_id, spans.team_id, spans.player_id, spans.first_day + offsets.day_offset as roster_date
    from spans
    inner join ({{ day_offsets() }}) as offsets on offsets.day_offset <= spans.last_day - spans.first_day
    where spans.last_day >= spans.first_day

),

wellness_days as (

    select distinct org_id, player_id, wellness_date
    from {{ ref('fct_player_wellness_daily') }}

),

rpe_days as (

    select org_id, player_id, session_date, sum(session_count) as rpe_logs
    from {{ ref('fct_player_daily_load') }}
    where session_count > 0
    group by org_id, player_id, session_date

),

attended as (

    select
        attendance.org_id,
        attendance.player_id,
        {{ local_date('attendance.occurrence_start', 'clubs.time_zone') }} as attended_date,
        count(*) as sessions_attended
    from {{ ref('fct_attendance') }} as attendance
    left join clubs on attendance.org_id = clubs.org_id
    where attendance.attended
    group by attendance.org_id, attendance.player_id, {{ local_date('attendance.occurrence_start', 'clubs.time_zone') }}

),

daily as (

    select
        roster_days.org_id,
        roster_days.team_id,
        {{ week_start('roster_days.roster_date') }} as week_start,
        roster_days.player_id,
        case when wellness_days.player_id is not null then 1 else 0 end as answered_wellness,
        coalesce(rpe_days.rpe_logs, 0) as rpe_logs,
        coalesce(attended.sessions_attended, 0) as sessions_attended
    from roster_days
    left join wellness_days
        on roster_days.org_id = wellness_days.org_id
        and roster_days.player_id = wellness_days.player_id
        and roster_days.roster_date = wellness_days.wellness_date
    left join rpe_days
        on roster_days.org_id = rpe_days.org_id
        and roster_days.player_id = rpe_days.player_id
        and roster_days.roster_date = rpe_days.session_date
    left join attended
        on roster_days.org_id = attended.org_id
        and roster_days.player_id = attended.player_id
        and roster_days.roster_date = attended.attended_date

),

weekly as (

    select
        org_id,
        team_id,
        week_start,
        count(distinct player_id) as players_on_roster,
        count(*) as expected_wellness_answers,
        sum(answered_wellness) as wellness_answers,
        sum(rpe_logs) as rpe_logs,
        sum(sessions_attended) as sessions_attended
    from daily
    group by org_id, team_id, week_start

)

select
    cast(org_id || '|' || team_id || '|' || cast(week_start as varchar) as varchar) as team_week_id,
    cast(org_id as varchar) as org_id,
    cast(team_id as varchar) as team_id,
    cast(week_start as date) as week_start,
    cast(players_on_roster as integer) as players_on_roster,
    cast(expected_wellness_answers as integer) as expected_wellness_answers,
    cast(wellness_answers as integer) as wellness_answers,
    {{ rounded('cast(wellness_answers as double precision) / expected_wellness_answers', 3) }} as wellness_compliance,
    cast(sessions_attended as integer) as sessions_attended,
    cast(rpe_logs as integer) as rpe_logs,
    case
        when sessions_attended > 0
            then {{ rounded('cast(rpe_logs as double precision) / sessions_attended', 3) }}
    end as rpe_compliance
from weekly
