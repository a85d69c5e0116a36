{#- Completed years between two dates (a birthday not yet reached does not count).
    Built on dbt's cross-database datediff/dateadd so it ports beyond DuckDB. -#}
{% macro age_in_years(birth_date, at_date) -%}
    (
        {{ dbt.datediff(birth_date, at_date, 'year') }}
        - case
            when {{ dbt.dateadd('year', dbt.datediff(birth_date, at_date, 'year'), birth_date) }}
                > {{ at_date }}
            then 1
            else 0
        end
    )
{%- endmacro %}
