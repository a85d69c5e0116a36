{#- The 8-byte floating point type. dbt's type_float() is not it everywhere (FLOAT is 4 bytes
    on DuckDB and Spark); the SQL standard spells it DOUBLE PRECISION, which Spark does not
    accept. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
