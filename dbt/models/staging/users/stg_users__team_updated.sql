with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'users.team.updated'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        cast({{ json_text('data', 'name') }} as varchar) as team_name,
        cast({{ json_text('data', 'season') }} as varchar) as season,
        cast({{ json_text('data', 'age_group') }} as varchar) as age_group,
        cast({{ json_text('data', 'level') }} as varchar) as level,
        loaded_at

    from source

)

select * from renamed
