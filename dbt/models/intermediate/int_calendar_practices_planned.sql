{#- Every planned occurrence of the calendar's practices (kinds `practice` and `training_session` made in the
    calendar) and games (kind `game`: `session_kind` tells them apart), with the coach's intended RPE and the
    occurrence's planned load: intended RPE × minutes, AU (null without an intended RPE, as for most games).

    A series is expanded from its latest definition (its creation, a change of all occurrences, or the change of
    "this and following" that continued it as a new series) in its own time zone, so 17:00 stays 17:00 across
    DST: one-off events, DAILY and WEEKLY rules with INTERVAL, BYDAY, COUNT and UNTIL (RFC 5545 §3.3.10); other
    frequencies are not expanded. Occurrences cancelled one by one, from a day on, or with their whole series are
    left out, and so are those of a series from the day a "this and following" change continued it as another. -#}
{%- set horizon_days = 800 -%}

with created as (

    select org_id, actor_id, occurred_at, event_id, series_id, event_kind, team_id, starts_at, duration_minutes,
        time_zone, rrule, planned_rpe, cast('all' as varchar) as change_scope,
        cast(null as timestamp with time zone) as occurrence_start
    from {{ ref('stg_calendar__event_created') }}

),

updated as (

    -- a change of one occurrence carries the series' values, not the occurrence's, and cannot change its RPE
    select org_id, actor_id, occurred_at, event_id, series_id, event_kind, team_id, starts_at, duration_minutes,
        time_zone, rrule, planned_rpe, change_scope, occurrence_start
    from {{ ref('stg_calendar__event_updated') }}
    where change_scope in ('all', 'following')

),

versions as (

    select * from created
    union all
    select * from updated

),

coaches as (

    select org_id, series_id, actor_id as coach_id
    from (
        select
            org_id, series_id, actor_id,
            row_number() over (partition by org_id, series_id order by occurred_at, event_id) as age_rank
        from versions
    ) as ranked
    where age_rank = 1

),

definitions as (

    select
        ranked.org_id, ranked.series_id, ranked.team_id, ranked.duration_minutes, ranked.time_zone,
        ranked.planned_rpe,
        case when ranked.event_kind = 'game' then 'game' else 'training' end as session_kind,
        {{ rrule_part('rrule', 'FREQ') }} as frequency,
        coalesce(cast({{ rrule_part('rrule', 'INTERVAL') }} as integer), 1) as repeat_interval,
        cast({{ rrule_part('rrule', 'COUNT') }} as integer) as repeat_count,
        {{ rrule_part('rrule', 'UNTIL') }} as until_text,
        {{ rrule_part('rrule', 'BYDAY') }} as by_day,
        (ranked.starts_at at time zone ranked.time_zone) as first_local_start
    from (
        select
            *,
            row_number() over (partition by org_id, series_id order by occurred_at desc, event_id desc) as version_rank
        from versions
    ) as ranked
    where ranked.version_rank = 1
        and ranked.event_kind in ('practice', 'training_session', 'game')

),

candidates as (

    select
        definitions.*,
        offsets.day_offset,
        cast(cast(definitions.first_local_start as date) + offsets.day_offset as date) as occurrence_date,
        ((definitions.first_local_start + offsets.day_offset * interval '1 day') at time zone definitions.time_zone)
            as occurrence_start
    from definitions
    cross join (
        select day_offset from ({{ day_offsets() }}) as all_offsets where day_offset <= {{ horizon_days }}
    ) as offsets
    where (definitions.frequency is null and offsets.day_offset = 0)
        or (
            definitions.frequency = 'DAILY'
            and mod(offsets.day_offset, definitions.repeat_interval) = 0
            and (definitions.by_day is null
                or strpos(definitions.by_day, {{ rrule_weekday('cast(definitions.first_local_start as date) + offsets.day_offset') }}) > 0)
        )
        or (
            definitions.frequency = 'WEEKLY'
            -- weeks counted from the Monday of the first occurrence's week (WKST=MO)
            and mod(
                cast(floor((offsets.day_offset + cast(extract(isodow from definitions.first_local_start) as integer) - 1) / 7.0) as integer),
                definitions.repeat_interval
            ) = 0
            and (
                (definitions.by_day is null and mod(offsets.day_offset, 7) = 0)
                or strpos(coalesce(definitions.by_day, ''), {{ rrule_weekday('cast(definitions.first_local_start as date) + offsets.day_offset') }}) > 0
            )
        )

),

bounded as (

    select *
    from (
        select
            candidates.*,
            row_number() over (partition by org_id, series_id order by day_offset) as occurrence_number,
            case
                when length(until_text) >= 15 then cast(
                    substr(until_text, 1, 4) || '-' || substr(until_text, 5, 2) || '-' || substr(until_text, 7, 2)
                    || ' ' || substr(until_text, 10, 2) || ':' || substr(until_text, 12, 2) || ':'
                    || substr(until_text, 14, 2) || '+00' as timestamp with time zone)
                when length(until_text) = 8 then cast(
                    substr(until_text, 1, 4) || '-' || substr(until_text, 5, 2) || '-' || substr(until_text, 7, 2)
                    || ' 23:59:59+00' as timestamp with time zone)
            end as repeat_until
        from candidates
    ) as numbered
    where (repeat_count is null or occurrence_number <= repeat_count)
        and (repeat_until is null or occurrence_start <= repeat_until)

),

cancellations as (

    select cancelled.org_id, cancelled.series_id, cancelled.change_scope, cancelled.occurrence_start
    from {{ ref('stg_calendar__event_cancelled') }} as cancelled

),

-- a "this and following" change continues a series as a new one from the occurrence it names
continuations as (

    select bounded.org_id, bounded.series_id, min(bounded.occurrence_date) as continued_from
    from bounded
    inner join updated as successors
        on successors.org_id = bounded.org_id
        and successors.change_scope = 'following'
        and successors.series_id <> bounded.series_id
        and successors.team_id = bounded.team_id
        and successors.occurrence_start = bounded.occurrence_start
    group by 1, 2

),

standing as (

    select bounded.*
    from bounded
    left join continuations
        on continuations.org_id = bounded.org_id
        and continuations.series_id = bounded.series_id
    where (continuations.continued_from is null or bounded.occurrence_date < continuations.continued_from)
        and not exists (
            select 1 from cancellations
            where cancellations.org_id = bounded.org_id
                and cancellations.series_id = bounded.series_id
                and (
                    cancellations.change_scope = 'all'
                    or (cancellations.change_scope = 'this'
                        and {{ local_date('cancellations.occurrence_start', 'bounded.time_zone') }} = bounded.occurrence_date)
                    or (cancellations.change_scope = 'following'
                        and {{ local_date('cancellations.occurrence_start', 'bounded.time_zone') }} <= bounded.occurrence_date)
                )
        )

)

select
    cast(standing.series_id || '|' || cast(standing.occurrence_date as varchar) as varchar) as planned_session_id,
    cast(standing.org_id as varchar) as org_id,
    cast(standing.series_id as varchar) as series_id,
    cast(standing.team_id as varchar) as team_id,
    cast(coaches.coach_id as varchar) as coach_id,
    cast(standing.session_kind as varchar) as session_kind,
    cast(standing.occurrence_start as timestamp with time zone) as starts_at,
    cast(standing.occurrence_date as date) as session_date,
    cast(standing.duration_minutes as integer) as planned_duration_minutes,
    cast(standing.planned_rpe as integer) as planned_rpe,
    cast(standing.planned_rpe * standing.duration_minutes as integer) as planned_load_au
from standing
left join coaches
    on coaches.org_id = standing.org_id
    and coaches.series_id = standing.series_id
