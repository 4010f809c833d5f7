{# The day "overdue" is measured on: the var `finance_as_of` (an ISO date, for reproducible builds and unit tests)
   or the warehouse's current date. #}
{% macro finance_as_of() -%}
    {%- if var('finance_as_of', none) -%} cast('{{ var("finance_as_of") }}' as date) {%- else -%} current_date {%- endif -%}
{%- endmacro %}
