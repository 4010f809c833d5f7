with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'training.wellness.submitted'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'wellness_id') }} as varchar) as wellness_id,
        cast({{ json_text('data', 'player_id') }} as varchar) as player_id,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        cast({{ json_text('data', 'wellness_date') }} as date) as wellness_date,
        cast({{ json_text('data', 'instrument') }} as varchar) as instrument,
        cast({{ json_text('data', 'total_score') }} as integer) as total_score,
        cast({{ json_text('data', 'sleep_hours') }} as double precision) as sleep_hours,
        cast({{ json_text('data', 'submitted_at') }} as timestamp with time zone) as submitted_at,
        cast({{ json_text('data', 'answered_by') }} as varchar) as answered_by,
        loaded_at

    from source

)

select * from renamed
