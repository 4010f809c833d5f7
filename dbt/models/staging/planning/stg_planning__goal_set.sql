with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'planning.goal.set'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'goal_id') }} as varchar) as goal_id,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        cast({{ json_text('data', 'player_id') }} as varchar) as player_id,
        cast({{ json_text('data', 'title') }} as varchar) as title,
        cast({{ json_text('data', 'metric') }} as varchar) as metric,
        cast({{ json_text('data', 'test_name') }} as varchar) as test_name,
        cast({{ json_text('data', 'comparator') }} as varchar) as comparator,
        cast({{ json_text('data', 'target_value') }} as double precision) as target_value,
        cast({{ json_text('data', 'target_max_value') }} as double precision) as target_max_value,
        cast({{ json_text('data', 'starts_on') }} as date) as starts_on,
        cast({{ json_text('data', 'due_on') }} as date) as due_on,
        loaded_at

    from source

)

select * from renamed
