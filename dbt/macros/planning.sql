{#- The value of one part of an RFC 5545 RRULE (`FREQ`, `INTERVAL`, `COUNT`, `UNTIL`, `BYDAY` …) as text, null when
    the rule has no such part or there is no rule; on DuckDB and Postgres alike. -#}
{% macro rrule_part(rrule, part) -%}
    nullif(split_part(split_part(';' || replace(coalesce({{ rrule }}, ''), 'RRULE:', '') || ';', ';{{ part }}=', 2), ';', 1), '')
{%- endmacro %}

{#- The two-letter RFC 5545 weekday (MO … SU) of a date. -#}
{% macro rrule_weekday(day) -%}
    case cast(extract(isodow from {{ day }}) as integer)
        when 1 then 'MO' when 2 then 'TU' when 3 then 'WE' when 4 then 'TH' when 5 then 'FR' when 6 then 'SA'
        else 'SU'
    end
{%- endmacro %}

{#- The last day a planned session can have been missed on: the var `planning_as_of` (a 'YYYY-MM-DD' date, for
    unit tests and reruns of the past), else yesterday (today's sessions may still be logged). -#}
{% macro planning_as_of() -%}
    {%- if var('planning_as_of', none) -%}
        cast('{{ var("planning_as_of") }}' as date)
    {%- else -%}
        cast(current_date - 1 as date)
    {%- endif -%}
{%- endmacro %}
