{#- Numerators, denominators and observed rates of the readmission measure, one set per
    window of the var readmission_windows_days, aggregated over rows of fct_readmissions. -#}
{% macro readmission_rate_columns() -%}
    {%- for window in var('readmission_windows_days') %}
    sum(case when is_index_{{ window }}d then 1 else 0 end) as index_stays_{{ window }}d,
    sum(case when is_readmitted_{{ window }}d then 1 else 0 end) as readmissions_{{ window }}d,
    sum(case when is_readmitted_{{ window }}d then 1 else 0 end) * 1.0
    / nullif(sum(case when is_index_{{ window }}d then 1 else 0 end), 0)
        as readmission_rate_{{ window }}d{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
