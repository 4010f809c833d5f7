{#- The games staff ranked for tapering, with their latest priority (A: peak for it, B: light taper, C: train
    through). -#}
select
    cast(series_id as varchar) as series_id,
    cast(org_id as varchar) as org_id,
    cast(team_id as varchar) as team_id,
    cast(title as varchar) as title,
    cast(starts_at as timestamp with time zone) as starts_at,
    cast(priority as varchar) as priority
from (
    select
        *,
        row_number() over (partition by org_id, series_id order by occurred_at desc, event_id desc) as version_rank
    from {{ ref('stg_planning__key_game_prioritised') }}
) as versions
where version_rank = 1
