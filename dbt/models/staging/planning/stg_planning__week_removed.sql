with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'planning.week.removed'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'week_id') }} as varchar) as week_id,
        cast({{ json_text('data', 'plan_id') }} as varchar) as plan_id,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        cast({{ json_text('data', 'week_start') }} as date) as week_start,
        loaded_at

    from source

)

select * from renamed
