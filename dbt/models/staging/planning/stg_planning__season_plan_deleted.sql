with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'planning.season_plan.deleted'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'plan_id') }} as varchar) as plan_id,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        loaded_at

    from source

)

select * from renamed
