{#- The last day usage figures count to: the var `usage_as_of` (a 'YYYY-MM-DD' date, for unit tests and reruns of
    the past), else today. -#}
{% macro usage_as_of() -%}
    {%- if var('usage_as_of', none) -%}
        cast('{{ var("usage_as_of") }}' as date)
    {%- else -%}
        current_date
    {%- endif -%}
{%- endmacro %}

{#- The Monday of a date's ISO week, as a date, on DuckDB and Postgres alike. -#}
{% macro week_start(day) -%}
    cast(date_trunc('week', cast({{ day }} as date)) as date)
{%- endmacro %}

{#- The rank of a role when a person holds several: the person is counted under their first role in this order. -#}
{% macro role_rank(role) -%}
    case {{ role }}
        when 'platform_admin' then 1
        when 'club_admin' then 2
        when 'medical_staff' then 3
        when 'physical_trainer' then 4
        when 'coach' then 5
        when 'parent' then 6
        when 'player' then 7
        else 8
    end
{%- endmacro %}
