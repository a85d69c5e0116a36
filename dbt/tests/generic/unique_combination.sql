{#- The columns together identify a row (dbt_utils' unique_combination_of_columns, which the
    package hub would provide; it is not reachable here). -#}
{% test unique_combination(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as row_count

from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1

{% endtest %}
