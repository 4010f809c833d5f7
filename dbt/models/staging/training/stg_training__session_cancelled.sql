with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'training.session.cancelled'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'session_id') }} as varchar) as session_id,
        loaded_at

    from source

)

select * from renamed
