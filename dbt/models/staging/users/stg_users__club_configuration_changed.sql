with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'users.club_configuration.changed'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'wellness_questionnaire') }} as varchar) as wellness_questionnaire,
        cast({{ json_text('data', 'default_acwr_variant') }} as varchar) as default_acwr_variant,
        cast({{ json_text('data', 'required_totp_roles') }} as varchar) as required_totp_roles_json,
        loaded_at

    from source

)

select * from renamed
