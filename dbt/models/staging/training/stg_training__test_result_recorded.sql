with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'training.test_result.recorded'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'result_id') }} as varchar) as result_id,
        cast({{ json_text('data', 'player_id') }} as varchar) as player_id,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        cast({{ json_text('data', 'test_id') }} as varchar) as test_id,
        cast({{ json_text('data', 'test_name') }} as varchar) as test_name,
        cast({{ json_text('data', 'unit') }} as varchar) as unit,
        cast({{ json_text('data', 'direction') }} as varchar) as direction,
        cast({{ json_text('data', 'value') }} as double precision) as result_value,
        cast({{ json_text('data', 'tested_on') }} as date) as tested_on,
        cast({{ json_text('data', 'recorded_by') }} as varchar) as recorded_by,
        loaded_at

    from source

)

select * from renamed
