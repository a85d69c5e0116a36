{#- Numerators, denominators and observed rates of the 30- and 60-day readmission measure,
    aggregated over rows of fct_readmissions. -#}
{% macro readmission_rate_columns() -%}
    {%- for window in ['30d', '60d'] %}
    sum(case when is_index_{{ window }} then 1 else 0 end) as index_stays_{{ window }},
    sum(case when is_readmitted_{{ window }} then 1 else 0 end) as readmissions_{{ window }},
    sum(case when is_readmitted_{{ window }} then 1 else 0 end) * 1.0
        / nullif(sum(case when is_index_{{ window }} then 1 else 0 end), 0)
        as readmission_rate_{{ window }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
