{#- One row per element of a list column, as a select expression: DuckDB calls it unnest,
    Spark explode. -#}
{% macro unnest_list(column) -%}
    {{ return(adapter.dispatch('unnest_list')(column)) }}
{%- endmacro %}

{% macro default__unnest_list(column) -%}
    unnest({{ column }})
{%- endmacro %}

{% macro spark__unnest_list(column) -%}
    explode({{ column }})
{%- endmacro %}
