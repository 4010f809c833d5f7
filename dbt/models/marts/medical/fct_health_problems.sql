with versions as (

    select * from {{ ref('stg_medical__health_problem_recorded') }}

),

-- Every change of a problem sends its whole outline again: the latest version is the problem.
latest_first as (

    select
        versions.*,
        row_number() over (
            partition by org_id, problem_id order by occurred_at desc, event_id desc
        ) as recency_rank
    from versions

),

latest as (

    select * from latest_first where recency_rank = 1 and not is_withdrawn

),

-- A problem recorded without a team is filed under the player's team on the day of onset.
attribution as (

    {{ team_attribution('latest', 'problem_id', 'onset_date') }}

)

select
    cast(latest.problem_id as varchar) as problem_id,
    cast(latest.org_id as varchar) as org_id,
    cast(latest.player_id as varchar) as player_id,
    cast(coalesce(latest.team_id, attribution.attributed_team_id) as varchar) as team_id,
    cast(latest.problem_kind as varchar) as problem_kind,
    cast(latest.osiics_group as varchar) as osiics_group,
    cast(latest.body_area as varchar) as body_area,
    cast(latest.onset_activity as varchar) as onset_activity,
    cast(latest.is_time_loss as boolean) as is_time_loss,
    cast(latest.onset_date as date) as onset_date,
    {{ season_start_year('latest.onset_date') }} as season_start_year,
    cast(latest.partial_return_date as date) as partial_return_date,
    cast(latest.full_training_date as date) as full_training_date,
    cast(latest.return_to_play_date as date) as return_to_play_date,
    cast(latest.return_to_play_date is null as boolean) as is_open,
    cast(latest.severity_days as integer) as severity_days,
    -- IOC 2020 severity bands of time lost; a problem with no time loss lost no days
    cast(
        case
            when latest.severity_days is null then null
            when latest.severity_days <= 7 then '0-7 days'
            when latest.severity_days <= 28 then '8-28 days'
            else '>28 days'
        end as varchar
    ) as severity_band,
    cast(latest.recurrence_of is not null as boolean) as is_recurrence,
    cast(latest.recurrence_of as varchar) as recurrence_of,
    cast(latest.occurred_at as timestamp with time zone) as last_changed_at
from latest
inner join attribution on attribution.problem_id = latest.problem_id
