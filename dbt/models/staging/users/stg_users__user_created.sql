with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'users.user.created'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'user_id') }} as varchar) as user_id,
        cast({{ json_text('data', 'full_name') }} as varchar) as full_name,
        cast({{ json_text('data', 'org_roles') }} as varchar) as org_roles_json,
        loaded_at

    from source

)

select * from renamed
