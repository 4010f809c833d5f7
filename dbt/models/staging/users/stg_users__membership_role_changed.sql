with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'users.membership.role_changed'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'membership_id') }} as varchar) as membership_id,
        cast({{ json_text('data', 'user_id') }} as varchar) as user_id,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        cast({{ json_text('data', 'previous_role') }} as varchar) as previous_role,
        cast({{ json_text('data', 'role') }} as varchar) as role,
        loaded_at

    from source

)

select * from renamed
