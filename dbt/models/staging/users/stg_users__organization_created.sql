with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'users.organization.created'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'name') }} as varchar) as organization_name,
        cast({{ json_text('data', 'time_zone') }} as varchar) as time_zone,
        cast({{ json_text('data', 'language') }} as varchar) as language,
        cast(coalesce({{ json_text('data', 'plan') }}, 'standard') as varchar) as plan,
        loaded_at

    from source

)

select * from renamed
