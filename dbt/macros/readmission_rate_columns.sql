{#- Numerators, denominators, observed rates and their 95% Wilson score intervals (macro
    wilson_low/wilson_high) of the readmission measure, one set per window of the var
    readmission_windows_days, aggregated over rows of fct_readmissions. -#}
{% macro readmission_rate_columns() -%}
    {%- for window in var('readmission_windows_days') %}
    {%- set index_stays = count_where('is_index_' ~ window ~ 'd') %}
    {%- set readmissions = count_where('is_readmitted_' ~ window ~ 'd') %}
    {{ index_stays }} as index_stays_{{ window }}d,
    {{ readmissions }} as readmissions_{{ window }}d,
    {{ readmissions }} * 1.0 / nullif({{ index_stays }}, 0) as readmission_rate_{{ window }}d,
    {{ wilson_low(readmissions, index_stays) }} as readmission_rate_{{ window }}d_low,
    {{ wilson_high(readmissions, index_stays) }}
        as readmission_rate_{{ window }}d_high{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- Per window of the var readmission_windows_days, the index stays and readmissions alone:
    counts that add up over any grouping (the dashboard's filter cells). -#}
{% macro readmission_count_columns() -%}
    {%- for window in var('readmission_windows_days') %}
    {{ count_where('is_index_' ~ window ~ 'd') }} as index_stays_{{ window }}d,
    {{ count_where('is_readmitted_' ~ window ~ 'd') }} as readmissions_{{ window }}d{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- Per window, over a stay's rows: its department and age band's rate (the relation rates
    holds readmission_rate_columns() by department_name and age_band), the expected outcome of
    the stay under indirect standardisation. -#}
{% macro readmission_expected_rate_columns(rates) -%}
    {%- for window in var('readmission_windows_days') %}
    {{ rates }}.readmission_rate_{{ window }}d as expected_rate_{{ window }}d{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- Per window, aggregated over stays: expected readmissions (the sum of the stays' expected
    rates) and the variance of the count under them (the sum of p (1 - p)). -#}
{% macro readmission_expected_sums() -%}
    {%- for window in var('readmission_windows_days') %}
    sum(case when is_index_{{ window }}d then expected_rate_{{ window }}d else 0 end)
        as expected_readmissions_{{ window }}d,
    sum(case when is_index_{{ window }}d then expected_rate_{{ window }}d * (1 - expected_rate_{{ window }}d) else 0 end)
        as expected_variance_{{ window }}d{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- Per window: the expected rate and the z statistic of observed against expected
    readmissions (null below var readmission_min_index_stays_tested index stays or var
    normal_approximation_min_expected expected readmissions). -#}
{% macro readmission_excess_z_columns() -%}
    {%- for window in var('readmission_windows_days') %}
    expected_readmissions_{{ window }}d / nullif(index_stays_{{ window }}d, 0) as expected_rate_{{ window }}d,
    case
        when
            index_stays_{{ window }}d >= {{ var('readmission_min_index_stays_tested') }}
            and expected_readmissions_{{ window }}d >= {{ var('normal_approximation_min_expected') }}
            then (readmissions_{{ window }}d - expected_readmissions_{{ window }}d)
            / nullif(sqrt(expected_variance_{{ window }}d), 0)
    end as excess_z_{{ window }}d{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- Per window: the one-sided p-value of excess_z, the number of cells tested (the Bonferroni
    family) and the corrected p-value. -#}
{% macro readmission_excess_p_columns() -%}
    {%- for window in var('readmission_windows_days') %}
    {{ normal_upper_tail('excess_z_' ~ window ~ 'd') }} as excess_p_{{ window }}d,
    count(excess_z_{{ window }}d) over () as cells_tested_{{ window }}d,
    least(1.0, {{ normal_upper_tail('excess_z_' ~ window ~ 'd') }} * count(excess_z_{{ window }}d) over ())
        as excess_p_bonferroni_{{ window }}d{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
