with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'admin.page.viewed'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id as user_id,
        occurred_at,
        cast({{ json_text('data', 'page') }} as varchar) as page,
        loaded_at

    from source

)

select * from renamed
