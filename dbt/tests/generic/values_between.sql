{#- Every value of the column lies in [min_value, max_value] (dbt_utils' accepted_range,
    which the package hub would provide; it is not reachable here). Nulls are not_null's
    business. -#}
{% test values_between(model, column_name, min_value, max_value) %}

select {{ column_name }}

from {{ model }}
where {{ column_name }} < {{ min_value }}
    or {{ column_name }} > {{ max_value }}

{% endtest %}
