-- The calendar service emits at most one of these per person per club day, however often calendar apps poll.
with source as (

    select * from {{ source('raw', 'events') }}
    where type = 'calendar.feed.fetched'

),

renamed as (

    select
        event_id,
        version as event_version,
        org_id,
        actor_id as user_id,
        occurred_at,
        cast({{ json_text('data', 'feed_id') }} as varchar) as feed_id,
        cast({{ json_text('data', 'day') }} as date) as fetched_on,
        loaded_at

    from source

)

select * from renamed
