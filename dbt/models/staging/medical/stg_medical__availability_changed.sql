with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'medical.availability.changed'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'player_id') }} as varchar) as player_id,
        cast({{ json_text('data', 'status') }} as varchar) as availability_status,
        cast({{ json_text('data', 'restrictions') }} as varchar) as restrictions_json,
        cast({{ json_text('data', 'effective_from') }} as date) as effective_from,
        cast({{ json_text('data', 'expected_until') }} as date) as expected_until,
        cast({{ json_text('data', 'note_for_staff') }} as varchar) as note_for_staff,
        loaded_at

    from source

)

select * from renamed
