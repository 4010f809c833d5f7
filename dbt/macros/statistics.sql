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
