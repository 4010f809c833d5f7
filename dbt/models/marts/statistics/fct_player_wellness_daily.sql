with submissions as (

    select * from {{ ref('int_wellness_answers_attributed') }}

),

-- Corrections and deletions are applied already (int_wellness_answers_corrected); of two questionnaires on the
-- same day and instrument, the later submission counts.
latest_first as (

    select
        submissions.*,
        row_number() over (
            partition by player_id, wellness_date, instrument
            order by submitted_at desc, wellness_id desc
        ) as recency_rank
    from submissions

),

days as (

    select org_id, player_id, team_id, wellness_date, instrument, total_score, sleep_hours
    from latest_first
    where recency_rank = 1

),

-- The player's own baseline: the same instrument's scores of the 28 days before this one (this day excluded).
baseline as (

    select
        today.player_id,
        today.wellness_date,
        today.instrument,
        count(earlier.total_score) as baseline_observations,
        avg(cast(earlier.total_score as double precision)) as baseline_mean_score,
        stddev_samp(cast(earlier.total_score as double precision)) as baseline_sd_score
    from days as today
    left join days as earlier
        on today.player_id = earlier.player_id
        and today.instrument = earlier.instrument
        and earlier.wellness_date between today.wellness_date - 28 and today.wellness_date - 1
    group by today.player_id, today.wellness_date, today.instrument

),

scored as (

    select
        days.*,
        baseline.baseline_observations,
        baseline.baseline_mean_score,
        baseline.baseline_sd_score,
        case
            when baseline.baseline_observations < {{ var('wellness_min_baseline_observations') }}
                then 'under_7_baseline_observations'
            when not baseline.baseline_sd_score > 0 then 'baseline_without_spread'
        end as z_score_withheld_reason
    from days
    inner join baseline
        on days.player_id = baseline.player_id
        and days.wellness_date = baseline.wellness_date
        and days.instrument = baseline.instrument

),

oriented as (

    select
        scored.*,
        -- Hooper: a higher index is worse, so its z-score is flipped and a negative score always means worse.
        case when z_score_withheld_reason is null
            then (case when instrument = 'hooper' then -1 else 1 end)
                * (total_score - baseline_mean_score) / baseline_sd_score
        end as unrounded_wellness_z_score
    from scored

)

select
    cast(player_id || '|' || cast(wellness_date as varchar) || '|' || instrument as varchar) as player_day_instrument_id,
    cast(org_id as varchar) as org_id,
    cast(player_id as varchar) as player_id,
    cast(team_id as varchar) as team_id,
    cast(wellness_date as date) as wellness_date,
    cast(instrument as varchar) as instrument,
    cast(total_score as integer) as total_score,
    cast(sleep_hours as double precision) as sleep_hours,
    cast(baseline_observations as integer) as baseline_observations,
    cast({{ rounded('baseline_mean_score', 3) }} as double precision) as baseline_mean_score,
    cast({{ rounded('baseline_sd_score', 3) }} as double precision) as baseline_sd_score,
    cast({{ rounded('unrounded_wellness_z_score', 3) }} as double precision) as wellness_z_score,
    cast(unrounded_wellness_z_score < -1 as boolean) as below_baseline_flag,
    cast(z_score_withheld_reason as varchar) as z_score_withheld_reason
from oriented
