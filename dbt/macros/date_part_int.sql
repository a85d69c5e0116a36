{#- A date part as an integer; extract(... from ...) is standard SQL (DuckDB, Postgres, Spark). -#}
{% macro date_part_int(part, expression) -%}
    cast(extract({{ part }} from {{ expression }}) as integer)
{%- endmacro %}
