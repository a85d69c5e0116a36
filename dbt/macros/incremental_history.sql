{#- Incremental facts grow with the extract. They keep the history_fingerprint of the extract
    they were built from; when the extract comes from another history (another scenario, not
    just a later end date), this pre-hook empties the table so the run rebuilds it whole. -#}
{% macro delete_rows_of_another_history() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where history_fingerprint <> (
            select history_fingerprint from {{ ref('stg_emr__extract_manifest') }}
        )
    {%- endif -%}
{%- endmacro %}

{#- Rows of the source newer than the newest already loaded; everything on a first build or
    after delete_rows_of_another_history emptied the table. -#}
{% macro newer_than_loaded(column) -%}
    {%- if is_incremental() -%}
        {{ column }} > (
            select coalesce(max({{ column }}), cast('1900-01-01' as timestamp)) from {{ this }}
        )
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}
