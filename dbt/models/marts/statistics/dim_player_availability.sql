with changes as (

    select * from {{ ref('stg_medical__availability_changed') }}

),

-- The status in force today: the change with the latest effective day that has begun (a change recorded later
-- wins a tie). Changes dated in the future take over when their day comes.
in_force_first as (

    select
        changes.*,
        row_number() over (
            partition by org_id, player_id order by effective_from desc, occurred_at desc, event_id desc
        ) as recency_rank
    from changes
    where effective_from <= current_date

)

select
    cast(player_id as varchar) as player_id,
    cast(org_id as varchar) as org_id,
    cast(availability_status as varchar) as availability_status,
    cast(restrictions_json as varchar) as restrictions_json,
    cast(effective_from as date) as effective_from,
    cast(expected_until as date) as expected_until,
    cast(note_for_staff as varchar) as note_for_staff,
    cast(occurred_at as timestamp with time zone) as changed_at
from in_force_first
where recency_rank = 1
