{#- The text value of a top-level key of a JSON column, on every warehouse the project runs on.
    Cast the result to the column's type in the staging model. -#}
{% macro json_text(column, key) -%}
    {{ return(adapter.dispatch('json_text')(column, key)) }}
{%- endmacro %}

{% macro default__json_text(column, key) -%}
    ({{ column }} ->> '{{ key }}')
{%- endmacro %}

{% macro duckdb__json_text(column, key) -%}
    json_extract_string({{ column }}, '$.{{ key }}')
{%- endmacro %}

{#- The text value of `key` inside the object under the top-level key `parent` of a JSON column. -#}
{% macro json_nested_text(column, parent, key) -%}
    {{ return(adapter.dispatch('json_nested_text')(column, parent, key)) }}
{%- endmacro %}

{% macro default__json_nested_text(column, parent, key) -%}
    ({{ column }} -> '{{ parent }}' ->> '{{ key }}')
{%- endmacro %}

{% macro duckdb__json_nested_text(column, parent, key) -%}
    json_extract_string({{ column }}, '$.{{ parent }}.{{ key }}')
{%- endmacro %}
