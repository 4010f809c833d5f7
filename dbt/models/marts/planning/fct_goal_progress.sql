{#- Every current goal with its progress measured from what players logged, never typed:
    - test_result: the player's latest result of the named test between the goal's start and due day;
    - attendance_rate: percent of the goal's period's attendance records marked present or late (the team's, for a
      team goal);
    - wellness_compliance: percent of days on record in the period with a wellness questionnaire;
    - weekly_load: the latest complete week's session-RPE load in the period (mean per player for a team goal).
    progress_pct is how far the current value is toward the target (100 when met). -#}
with versions as (

    select
        *,
        row_number() over (partition by org_id, goal_id order by occurred_at desc, event_id desc) as version_rank
    from {{ ref('stg_planning__goal_set') }}

),

removed as (

    select org_id, goal_id, max(occurred_at) as removed_at
    from {{ ref('stg_planning__goal_removed') }}
    group by 1, 2

),

goals as (

    select versions.*
    from versions
    left join removed
        on removed.org_id = versions.org_id
        and removed.goal_id = versions.goal_id
        and removed.removed_at >= versions.occurred_at
    where versions.version_rank = 1
        and removed.goal_id is null

),

daily as (

    select * from {{ ref('fct_player_daily_load') }}

),

test_results as (

    select goal_id, current_value, measured_on
    from (
        select
            goals.goal_id,
            results.result_value as current_value,
            results.tested_on as measured_on,
            row_number() over (
                partition by goals.goal_id order by results.tested_on desc, results.result_id desc
            ) as recency
        from goals
        inner join {{ ref('fct_player_test_results') }} as results
            on results.org_id = goals.org_id
            and results.player_id = goals.player_id
            and results.test_name = goals.test_name
            and results.tested_on between goals.starts_on and goals.due_on
        where goals.metric = 'test_result'
    ) as ranked
    where recency = 1

),

attendance as (

    select
        goals.goal_id,
        100 * avg(case when records.attended then 1.0 else 0.0 end) as current_value,
        max(cast(records.occurrence_start as date)) as measured_on
    from goals
    inner join {{ ref('fct_attendance') }} as records
        on records.org_id = goals.org_id
        and records.team_id = goals.team_id
        and (goals.player_id is null or records.player_id = goals.player_id)
        and cast(records.occurrence_start as date) between goals.starts_on and goals.due_on
    where goals.metric = 'attendance_rate'
    group by 1

),

wellness as (

    select
        goals.goal_id,
        100 * avg(case when daily.wellness_submitted then 1.0 else 0.0 end) as current_value,
        max(daily.session_date) as measured_on
    from goals
    inner join daily
        on daily.org_id = goals.org_id
        and daily.team_id = goals.team_id
        and (goals.player_id is null or daily.player_id = goals.player_id)
        and daily.session_date between goals.starts_on and goals.due_on
    where goals.metric = 'wellness_compliance'
    group by 1

),

player_weeks as (

    select
        goals.goal_id,
        daily.player_id,
        cast(daily.session_date - cast(extract(isodow from daily.session_date) as integer) + 1 as date) as week_start,
        sum(daily.session_rpe_load_au) as load_au
    from goals
    inner join daily
        on daily.org_id = goals.org_id
        and daily.team_id = goals.team_id
        and (goals.player_id is null or daily.player_id = goals.player_id)
        and daily.session_date between goals.starts_on and goals.due_on
    where goals.metric = 'weekly_load'
    group by 1, 2, 3
    having count(*) = 7

),

weekly_load as (

    select goal_id, current_value, measured_on
    from (
        select
            goal_id,
            avg(cast(load_au as double precision)) as current_value,
            cast(week_start + 6 as date) as measured_on,
            row_number() over (partition by goal_id order by week_start desc) as recency
        from player_weeks
        group by goal_id, week_start
    ) as ranked
    where recency = 1

),

measured as (

    select * from test_results
    union all select * from attendance
    union all select * from wellness
    union all select * from weekly_load

),

scored as (

    select
        goals.*,
        cast(measured.current_value as double precision) as current_value,
        measured.measured_on,
        case
            when measured.current_value is null then null
            when goals.metric = 'weekly_load'
                then measured.current_value between goals.target_value and goals.target_max_value
            when goals.comparator = 'at_most' then measured.current_value <= goals.target_value
            else measured.current_value >= goals.target_value
        end as is_met
    from goals
    left join measured
        on measured.goal_id = goals.goal_id

)

select
    cast(goal_id as varchar) as goal_id,
    cast(org_id as varchar) as org_id,
    cast(team_id as varchar) as team_id,
    cast(player_id as varchar) as player_id,
    cast(title as varchar) as title,
    cast(metric as varchar) as metric,
    cast(test_name as varchar) as test_name,
    cast(comparator as varchar) as comparator,
    cast(target_value as double precision) as target_value,
    cast(target_max_value as double precision) as target_max_value,
    cast(starts_on as date) as starts_on,
    cast(due_on as date) as due_on,
    {{ rounded('current_value', 2) }} as current_value,
    cast(measured_on as date) as measured_on,
    cast(is_met as boolean) as is_met,
    cast(case
        when current_value is null then null
        when is_met then 100.0
        when metric = 'weekly_load' and current_value < target_value
            then {{ rounded('100 * current_value / target_value', 1) }}
        when metric = 'weekly_load' then {{ rounded('100 * target_max_value / current_value', 1) }}
        when comparator = 'at_most' and current_value > 0 then {{ rounded('100 * target_value / current_value', 1) }}
        when comparator = 'at_least' and target_value > 0 then {{ rounded('100 * current_value / target_value', 1) }}
    end as double precision) as progress_pct
from scored
