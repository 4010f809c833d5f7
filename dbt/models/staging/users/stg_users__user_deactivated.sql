with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'users.user.deactivated'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'user_id') }} as varchar) as user_id,
        cast({{ json_text('data', 'reason') }} as varchar) as reason,
        loaded_at

    from source

)

select * from renamed
