{#- The filter of an incremental model: rows of the source newer than the newest already
    loaded; every row on a first build or a full refresh. A new history (another scenario)
    starts from an empty warehouse, so the table never holds rows of another history. -#}
{% macro newer_than_loaded(column) -%}
    {%- if is_incremental() -%}
        {{ column }} > (
            select coalesce(max({{ column }}), cast('1900-01-01' as timestamp)) from {{ this }}
        )
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}
