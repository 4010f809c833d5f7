{#- Each planned week as it stands: the latest planning.week.planned version of every week_id, without weeks removed
    since and without the weeks of deleted plans. A moved week keeps its id, so its latest version is where it is. -#}
with versions as (

    select
        *,
        row_number() over (partition by org_id, week_id order by occurred_at desc, event_id desc) as version_rank
    from {{ ref('stg_planning__week_planned') }}

),

removed as (

    select org_id, week_id, max(occurred_at) as removed_at
    from {{ ref('stg_planning__week_removed') }}
    group by org_id, week_id

),

deleted_plans as (

    select distinct org_id, plan_id from {{ ref('stg_planning__season_plan_deleted') }}

)

select
    cast(versions.week_id as varchar) as week_id,
    cast(versions.org_id as varchar) as org_id,
    cast(versions.plan_id as varchar) as plan_id,
    cast(versions.team_id as varchar) as team_id,
    cast(versions.week_start as date) as week_start,
    cast(versions.focus as varchar) as focus,
    cast(versions.planned_sessions as integer) as planned_sessions,
    cast(versions.planned_load_au as integer) as planned_load_au,
    cast(versions.low_pct as integer) as low_pct,
    cast(versions.moderate_pct as integer) as moderate_pct,
    cast(versions.high_pct as integer) as high_pct
from versions
left join removed
    on removed.org_id = versions.org_id
    and removed.week_id = versions.week_id
    and removed.removed_at >= versions.occurred_at
left join deleted_plans
    on deleted_plans.org_id = versions.org_id
    and deleted_plans.plan_id = versions.plan_id
where versions.version_rank = 1
    and removed.week_id is null
    and deleted_plans.plan_id is null
