{#- A number rounded to `places` decimals as double precision, on every warehouse the project runs on
    (Postgres rounds only numeric). -#}
{% macro rounded(expression, places) -%}
    cast(round(cast({{ expression }} as decimal(38, 9)), {{ places }}) as double precision)
{%- endmacro %}

{#- The ACWR band of a ratio, from the thresholds in the project's vars. -#}
{% macro acwr_band(ratio) -%}
    case
        when {{ ratio }} is null then null
        when {{ ratio }} < {{ var('acwr_low_below') }} then 'low'
        when {{ ratio }} < {{ var('acwr_sweet_spot_below') }} then 'sweet spot'
        when {{ ratio }} < {{ var('acwr_high_from') }} then 'elevated'
        else 'high'
    end
{%- endmacro %}

{#- The integers 0 … 9999 (27 years of days), without a warehouse-specific series function. -#}
{% macro day_offsets() -%}
    select units.n + 10 * tens.n + 100 * hundreds.n + 1000 * thousands.n as day_offset
    from {{ _digits() }} as units
    cross join {{ _digits() }} as tens
    cross join {{ _digits() }} as hundreds
    cross join {{ _digits() }} as thousands
{%- endmacro %}

{% macro _digits() -%}
    (select 0 as n union all select 1 union all select 2 union all select 3 union all select 4 union all
     select 5 union all select 6 union all select 7 union all select 8 union all select 9)
{%- endmacro %}

{#- The club's calendar day of a UTC timestamp, in the IANA time zone `time_zone` (UTC when null). -#}
{% macro local_date(timestamp, time_zone) -%}
    cast(({{ timestamp }} at time zone coalesce({{ time_zone }}, 'UTC')) as date)
{%- endmacro %}

{#- For every row of the CTE `facts` (org_id, player_id, team_id as given, and the day column `day`), the team the
    row belongs to, keyed by `key`: the player's team on that day from their player memberships
    (int_team_memberships_spanned). The team given in the event is kept when the player was on it that day; a player
    on several teams that day is filed under the given one, else the team joined last. Before a player's first
    membership the first team counts (data is often entered for days before the roster was set up); with no
    membership at all the given team stays. -#}
{% macro team_attribution(facts, key, day) -%}
    select {{ key }}, attributed_team_id
    from (
        select
            facts.{{ key }},
            coalesce(spans.team_id, facts.team_id) as attributed_team_id,
            row_number() over (
                partition by facts.{{ key }}
                order by
                    case when spans.team_id = facts.team_id then 0 else 1 end,
                    spans.valid_from desc,
                    spans.team_id
            ) as preference
        from {{ facts }} as facts
        left join {{ ref('int_team_memberships_spanned') }} as spans
            on spans.org_id = facts.org_id
            and spans.user_id = facts.player_id
            and spans.role = 'player'
            and (spans.is_first_player_span or spans.valid_from_date <= facts.{{ day }})
            and (spans.valid_to_date is null or facts.{{ day }} < spans.valid_to_date)
    ) as ranked
    where preference = 1
{%- endmacro %}

{#- The latest version of each `key` among `versions` (a CTE with org_id, `key`, version_at, event_id and
    is_correction), leaving out every `key` that `deleted` (a CTE with org_id and `key`) names: a withdrawal is
    final, whatever order the events arrive in. -#}
{% macro latest_undeleted_versions(versions, deleted, key) -%}
    select ranked.*
    from (
        select
            {{ versions }}.*,
            row_number() over (
                partition by org_id, {{ key }}
                order by version_at desc, case when is_correction then 0 else 1 end, event_id desc
            ) as version_rank
        from {{ versions }}
    ) as ranked
    where ranked.version_rank = 1
        and not exists (
            select 1 from {{ deleted }}
            where {{ deleted }}.org_id = ranked.org_id and {{ deleted }}.{{ key }} = ranked.{{ key }}
        )
{%- endmacro %}

{#- The season a day belongs to, named by the year it starts in: a season starts on the first day of the month
    `season_start_month` (a project var; August for ice hockey in Europe), so 2026-09-01 and 2027-03-01 are both
    season 2026. -#}
{% macro season_start_year(day) -%}
    cast(
        extract(year from {{ day }})
        - case when extract(month from {{ day }}) < {{ var('season_start_month') }} then 1 else 0 end
        as integer
    )
{%- endmacro %}
