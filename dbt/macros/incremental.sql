{#- Incremental player-day marts.

    A player-day mart keeps, in `events_loaded_through`, the newest raw.events load its rows were built from. An
    incremental run rebuilds, for each player the events loaded since then touch, every day from the earliest one
    they touch onwards: rolling windows and the EWMA only look back, so a change on a day changes that day and the
    days after it and nothing before. `player_days_to_rebuild` names those (player_id, from_date) pairs, and the
    strategy `replace_player_days` deletes the same ranges from the table before it inserts the rebuilt rows, so
    days that no longer exist (a deleted log, a club's last day withdrawn) disappear too. The pre-hooks
    (drop_rebuild_ranges, create_rebuild_ranges) work the ranges out once a run, into a temporary table both read.

    Pipeline passes load events and then build; nothing loads into raw.events while dbt builds (DuckDB takes one
    writer, and the pipeline's steps take turns on Postgres), so no load falls between a build's reads. -#}

{#- Post-hook of a player-day mart: the rows this build wrote (null so far) get the newest load it read. A hook,
    not a column expression, so that unit tests need no raw.events fixture. -#}
{% macro stamp_events_loaded_through() -%}
    update {{ this }}
    set events_loaded_through = (select max(loaded_at) from {{ source('raw', 'events') }})
    where events_loaded_through is null
{%- endmacro %}

{#- (player_id, from_date): the players whose rows an incremental run of `target` rebuilds, from which day.
    `target` is the mart as the previous run left it (with its `date_column`); `rebuilt` is a relation whose
    `rebuilt_date_column` reaches each club's last day as it is now: the one the mart is built from, or a smaller
    one holding just those days (int_club_series_ends: reading the whole player-day view for them cost more than
    the rest of the run).

    A player's range starts at the earliest of:
    - every day any version of an RPE log or wellness entry named by a new event (logged, corrected, deleted)
      was dated: a correction moving a log from one day to another changes both;
    - 1900-01-01 for a player whose team memberships changed, and for every player of a club created again (team
      attribution reads memberships on the club's calendar);
    - the day after the earlier of the club's last day before and now, for every player of a club whose last day
      moved (the zero-filled series of every player runs to it). -#}
{% macro player_days_to_rebuild(target, date_column, rebuilt, rebuilt_date_column) -%}
    {%- set raw = source('raw', 'events') -%}
    {%- set rpe_types = "'training.session_rpe.logged', 'training.session_rpe.corrected', 'training.session_rpe.deleted'" -%}
    {%- set wellness_types = "'training.wellness.submitted', 'training.wellness.corrected', 'training.wellness.deleted'" -%}
    {#- a mart built before it was incremental has no stamp yet: everything in it counts as changed -#}
    {%- set stamped = 'events_loaded_through' in (adapter.get_columns_in_relation(target) | map(attribute='name')
        | map('lower') | list) -%}
    select player_id, min(from_date) as from_date
    from (
        with watermark as (
            select coalesce(
                max({{ 'events_loaded_through' if stamped else 'cast(null as timestamp with time zone)' }}),
                cast('1900-01-01 00:00:00+00' as timestamp with time zone)
            ) as loaded_through
            from {{ target }}
        ),

        new_events as (
            select raw_events.org_id, raw_events.type, raw_events.data
            from {{ raw }} as raw_events
            where raw_events.loaded_at > (select loaded_through from watermark)
        ),

        changed_entries as (
            select distinct org_id, 'rpe' as entry_kind, {{ json_text('data', 'log_id') }} as entry_id
            from new_events where type in ({{ rpe_types }})
            union all
            select distinct org_id, 'wellness', {{ json_text('data', 'wellness_id') }}
            from new_events where type in ({{ wellness_types }})
        ),

        entry_versions as (
            select
                org_id,
                case when type in ({{ rpe_types }}) then 'rpe' else 'wellness' end as entry_kind,
                coalesce({{ json_text('data', 'log_id') }}, {{ json_text('data', 'wellness_id') }}) as entry_id,
                cast({{ json_text('data', 'player_id') }} as varchar) as player_id,
                cast(coalesce({{ json_text('data', 'session_date') }}, {{ json_text('data', 'wellness_date') }})
                    as date) as from_date
            from {{ raw }}
            where type in ({{ rpe_types }}, {{ wellness_types }})
        ),

        old_last_day as (
            select org_id, max({{ date_column }}) as last_date from {{ target }} group by org_id
        ),

        new_last_day as (
            select org_id, max({{ rebuilt_date_column }}) as last_date from {{ rebuilt }} group by org_id
        ),

        moved_last_day as (
            select old_last_day.org_id, least(old_last_day.last_date, new_last_day.last_date) as last_date
            from old_last_day
            inner join new_last_day on old_last_day.org_id = new_last_day.org_id
            where old_last_day.last_date <> new_last_day.last_date
            union all
            -- a club with no day left at all
            select old_last_day.org_id, cast('1899-12-31' as date)
            from old_last_day
            where not exists (select 1 from new_last_day where new_last_day.org_id = old_last_day.org_id)
        ),

        players_in_target as (
            select distinct org_id, player_id from {{ target }}
        )

        select entry_versions.player_id, entry_versions.from_date
        from entry_versions
        inner join changed_entries
            on entry_versions.org_id = changed_entries.org_id
            and entry_versions.entry_kind = changed_entries.entry_kind
            and entry_versions.entry_id = changed_entries.entry_id
        union all
        select cast({{ json_text('data', 'user_id') }} as varchar), cast('1900-01-01' as date)
        from new_events
        where type in ('users.membership.added', 'users.membership.removed', 'users.membership.role_changed')
        union all
        select players_in_target.player_id, cast('1900-01-01' as date)
        from players_in_target
        where players_in_target.org_id in (
            select org_id from new_events
            where type = 'users.organization.created'
        )
        union all
        select players_in_target.player_id, cast(moved_last_day.last_date + 1 as date)
        from players_in_target
        inner join moved_last_day on players_in_target.org_id = moved_last_day.org_id
    ) as changes
    where player_id is not null
    group by player_id
{%- endmacro %}

{#- The ranges an incremental run rebuilds, worked out once by the model's pre-hooks into
    a temporary table of the run's connection: the model's SQL and the strategy's delete both read them. -#}
{% macro rebuild_ranges() -%}
    {{ this.identifier }}__rebuild_ranges
{%- endmacro %}

{#- Pre-hooks of a player-day mart, in this order (empty unless the run is incremental). `date_column` is the
    mart's day; `rebuilt` and `rebuilt_date_column` the model it is built from and its day (player_days_to_rebuild).
    Two hooks, one statement each, since not every adapter runs several statements in one call. -#}
{% macro drop_rebuild_ranges() -%}
    {%- if is_incremental() -%} drop table if exists {{ rebuild_ranges() }} {%- endif -%}
{%- endmacro %}

{% macro create_rebuild_ranges(date_column, rebuilt, rebuilt_date_column) -%}
    {%- if is_incremental() -%}
        create temporary table {{ rebuild_ranges() }} as
        {{ player_days_to_rebuild(this, date_column, ref(rebuilt), rebuilt_date_column) }}
    {%- endif -%}
{%- endmacro %}

{#- Incremental strategy `replace_player_days`: delete the ranges of rebuild_ranges(), then insert the rebuilt
    rows. -#}
{% macro get_incremental_replace_player_days_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set date_column = config.get('rebuild_date_column') -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }} as existing
    where exists (
        select 1
        from {{ rebuild_ranges() }} as rebuilt
        where rebuilt.player_id = existing.player_id and existing.{{ date_column }} >= rebuilt.from_date
    );
    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ arg_dict['temp_relation'] }}
{%- endmacro %}
