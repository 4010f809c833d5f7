with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'users.session.signed_in'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        occurred_at,
        cast({{ json_text('data', 'user_id') }} as varchar) as user_id,
        cast({{ json_text('data', 'session_id') }} as varchar) as session_id,
        cast({{ json_text('data', 'method') }} as varchar) as sign_in_method,
        cast({{ json_text('data', 'second_factor') }} as boolean) as used_second_factor,
        cast({{ json_text('data', 'roles') }} as varchar) as roles_json,
        loaded_at

    from source

)

select * from renamed
