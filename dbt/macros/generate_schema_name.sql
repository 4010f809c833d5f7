{#- Models land in the schema their folder names (staging, marts), not "<target schema>_<folder>":
    analysts and the serving snapshot address them as marts.<model>. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
