with problems as (

    select * from {{ ref('fct_health_problems') }}

),

team_season_exposure as (

    select
        org_id,
        team_id,
        season_start_year,
        sum(exposure_hours) as exposure_hours,
        sum(practice_hours) as practice_hours,
        sum(game_hours) as game_hours
    from {{ ref('fct_player_exposure_daily') }}
    where team_id is not null
    group by org_id, team_id, season_start_year

),

-- Each problem counts once in the team's total and once in its body area and its OSIICS group.
problem_breakdowns as (

    select problems.*, 'all' as breakdown, 'All' as breakdown_value from problems
    union all
    select problems.*, 'body_area' as breakdown, body_area as breakdown_value from problems
    union all
    select problems.*, 'osiics_group' as breakdown, osiics_group as breakdown_value from problems

),

counted as (

    select
        org_id,
        team_id,
        season_start_year,
        problem_kind,
        breakdown,
        breakdown_value,
        count(*) as problems_count,
        sum(case when is_time_loss then 1 else 0 end) as time_loss_problems_count,
        sum(case when onset_activity = 'game' then 1 else 0 end) as game_problems_count,
        sum(case when onset_activity = 'practice' then 1 else 0 end) as practice_problems_count,
        sum(case when is_open then 1 else 0 end) as open_problems_count,
        sum(case when severity_days is not null then 1 else 0 end) as closed_problems_count,
        sum(severity_days) as days_lost,
        avg(cast(severity_days as double precision)) as mean_severity_days,
        sum(case when severity_band = '0-7 days' then 1 else 0 end) as severity_0_7_days_count,
        sum(case when severity_band = '8-28 days' then 1 else 0 end) as severity_8_28_days_count,
        sum(case when severity_band = '>28 days' then 1 else 0 end) as severity_over_28_days_count
    from problem_breakdowns
    where team_id is not null
    group by org_id, team_id, season_start_year, problem_kind, breakdown, breakdown_value

),

rated as (

    select
        counted.*,
        coalesce(exposure.exposure_hours, 0) as exposure_hours,
        coalesce(exposure.game_hours, 0) as game_hours,
        coalesce(exposure.practice_hours, 0) as practice_hours,
        case
            when coalesce(exposure.exposure_hours, 0) > 0
                then 1000.0 * counted.problems_count / exposure.exposure_hours
        end as incidence_per_1000h,
        -- games and practice apart: problems that began in each, over the hours of each (IOC 2020)
        case
            when coalesce(exposure.game_hours, 0) > 0 then 1000.0 * counted.game_problems_count / exposure.game_hours
        end as game_incidence_per_1000h,
        case
            when coalesce(exposure.practice_hours, 0) > 0
                then 1000.0 * counted.practice_problems_count / exposure.practice_hours
        end as practice_incidence_per_1000h
    from counted
    left join team_season_exposure as exposure
        on exposure.org_id = counted.org_id
        and exposure.team_id = counted.team_id
        and exposure.season_start_year = counted.season_start_year

)

select
    cast(
        team_id || '|' || cast(season_start_year as varchar) || '|' || problem_kind || '|' || breakdown || '|'
        || breakdown_value as varchar
    ) as incidence_id,
    cast(org_id as varchar) as org_id,
    cast(team_id as varchar) as team_id,
    cast(season_start_year as integer) as season_start_year,
    cast(problem_kind as varchar) as problem_kind,
    cast(breakdown as varchar) as breakdown,
    cast(breakdown_value as varchar) as breakdown_value,
    cast(problems_count as bigint) as problems_count,
    cast(time_loss_problems_count as bigint) as time_loss_problems_count,
    cast(game_problems_count as bigint) as game_problems_count,
    cast(practice_problems_count as bigint) as practice_problems_count,
    cast(open_problems_count as bigint) as open_problems_count,
    cast(closed_problems_count as bigint) as closed_problems_count,
    cast(severity_0_7_days_count as bigint) as severity_0_7_days_count,
    cast(severity_8_28_days_count as bigint) as severity_8_28_days_count,
    cast(severity_over_28_days_count as bigint) as severity_over_28_days_count,
    cast(coalesce(days_lost, 0) as bigint) as days_lost,
    {{ rounded('exposure_hours', 2) }} as exposure_hours,
    {{ rounded('practice_hours', 2) }} as practice_exposure_hours,
    {{ rounded('game_hours', 2) }} as game_exposure_hours,
    {{ rounded('incidence_per_1000h', 3) }} as incidence_per_1000h,
    {{ rounded('game_incidence_per_1000h', 3) }} as game_incidence_per_1000h,
    {{ rounded('practice_incidence_per_1000h', 3) }} as practice_incidence_per_1000h,
    {{ rounded('mean_severity_days', 2) }} as mean_severity_days,
    -- IOC 2020: burden = incidence × mean severity (days lost per 1,000 h)
    {{ rounded('incidence_per_1000h * mean_severity_days', 3) }} as burden_days_per_1000h
from rated
