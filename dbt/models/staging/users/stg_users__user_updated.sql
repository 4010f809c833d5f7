with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'users.user.updated'

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
        cast({{ json_text('data', 'position') }} as varchar) as position,
        cast({{ json_text('data', 'jersey_number') }} as integer) as jersey_number,
        cast({{ json_text('data', 'changed_fields') }} as varchar) as changed_fields_json,
        loaded_at

    from source

)

select * from renamed
