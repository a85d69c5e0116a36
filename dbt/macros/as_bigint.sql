{#- Counts as BIGINT: DuckDB widens the sum of integers to HUGEINT (128 bits), which pandas,
    BI tools and Spark do not read as a plain integer. Every count a model outputs that is a
    sum goes through one of these. -#}
{% macro as_bigint(expression) -%}
    cast({{ expression }} as {{ dbt.type_bigint() }})
{%- endmacro %}

{#- The number of rows where the condition holds, as BIGINT. -#}
{% macro count_where(condition) -%}
    {{ as_bigint('sum(case when ' ~ condition ~ ' then 1 else 0 end)') }}
{%- endmacro %}
