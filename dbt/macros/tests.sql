{#- Rows where `column_name` is not the product of two other columns (nulls count as failing only when the
    product is known): the session-RPE load an event carries must be its rpe × duration_minutes. -#}
{% test is_product_of(model, column_name, left, right) %}
    select *
    from {{ model }}
    where {{ left }} is not null
        and {{ right }} is not null
        and ({{ column_name }} is null or {{ column_name }} <> {{ left }} * {{ right }})
{% endtest %}
