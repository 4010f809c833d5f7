with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'users.invitation.created'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        occurred_at,
        cast({{ json_text('data', 'invitation_id') }} as varchar) as invitation_id,
        cast({{ json_text('data', 'user_id') }} as varchar) as user_id,
        cast({{ json_text('data', 'invited_by') }} as varchar) as invited_by,
        cast({{ json_text('data', 'expires_on') }} as date) as expires_on,
        loaded_at

    from source

)

select * from renamed
