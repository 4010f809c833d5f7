with recorded as (

    select * from {{ ref('int_test_results_attributed') }}

),

-- An event delivered twice, or a corrected result, keeps the latest recording per result.
results as (

    select *
    from (
        select
            recorded.*,
            row_number() over (partition by result_id order by occurred_at desc, event_id desc) as recency_rank
        from recorded
    ) as ranked
    where recency_rank = 1

),

flagged as (

    select
        results.*,
        row_number() over (
            partition by org_id, player_id, test_id order by tested_on desc, occurred_at desc, result_id desc
        ) = 1 as is_latest_for_player
    from results

),

-- Each player's latest result of a test against their team-mates' latest results of the same test; the best
-- result ranks 100 whichever direction is better.
team_ranks as (

    select
        result_id,
        count(*) over (partition by org_id, team_id, test_id) as team_players_tested,
        percent_rank() over (
            partition by org_id, team_id, test_id
            order by case when direction = 'lower_is_better' then -result_value else result_value end
        ) as team_percent_rank
    from flagged
    where is_latest_for_player and team_id is not null

)

select
    cast(flagged.result_id as varchar) as result_id,
    cast(flagged.org_id as varchar) as org_id,
    cast(flagged.player_id as varchar) as player_id,
    cast(flagged.team_id as varchar) as team_id,
    cast(flagged.test_id as varchar) as test_id,
    cast(flagged.test_name as varchar) as test_name,
    cast(flagged.unit as varchar) as unit,
    cast(flagged.direction as varchar) as direction,
    cast(flagged.result_value as double precision) as result_value,
    cast(flagged.tested_on as date) as tested_on,
    cast(flagged.is_latest_for_player as boolean) as is_latest_for_player,
    cast(team_ranks.team_players_tested as integer) as team_players_tested,
    cast(
        case when team_ranks.team_players_tested >= 2 then {{ rounded('100 * team_ranks.team_percent_rank', 1) }} end
        as double precision
    ) as team_percentile_rank
from flagged
left join team_ranks on flagged.result_id = team_ranks.result_id
