with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'medical.health_problem.recorded'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id,
        occurred_at,
        cast({{ json_text('data', 'problem_id') }} as varchar) as problem_id,
        cast({{ json_text('data', 'player_id') }} as varchar) as player_id,
        cast({{ json_text('data', 'team_id') }} as varchar) as team_id,
        cast({{ json_text('data', 'kind') }} as varchar) as problem_kind,
        cast({{ json_text('data', 'osiics_group') }} as varchar) as osiics_group,
        cast({{ json_text('data', 'body_area') }} as varchar) as body_area,
        cast({{ json_text('data', 'activity') }} as varchar) as onset_activity,
        cast({{ json_text('data', 'time_loss') }} as boolean) as is_time_loss,
        cast({{ json_text('data', 'onset_date') }} as date) as onset_date,
        cast({{ json_text('data', 'partial_return_date') }} as date) as partial_return_date,
        cast({{ json_text('data', 'full_training_date') }} as date) as full_training_date,
        cast({{ json_text('data', 'return_to_play_date') }} as date) as return_to_play_date,
        cast({{ json_text('data', 'severity_days') }} as integer) as severity_days,
        cast({{ json_text('data', 'recurrence_of') }} as varchar) as recurrence_of,
        cast({{ json_text('data', 'withdrawn') }} as boolean) as is_withdrawn,
        loaded_at

    from source

)

select * from renamed
