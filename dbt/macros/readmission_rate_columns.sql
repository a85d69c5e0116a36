{#- Numerators, denominators, observed rates and their 95% Wilson score intervals (macro
    wilson_low/wilson_high) of the readmission measure, one set per window of the var
    readmission_windows_days, aggregated over rows of fct_readmissions. -#}
{% macro readmission_rate_columns() -%}
    {%- for window in var('readmission_windows_days') %}
    {%- set index_stays = 'sum(case when is_index_' ~ window ~ 'd then 1 else 0 end)' %}
    {%- set readmissions = 'sum(case when is_readmitted_' ~ window ~ 'd then 1 else 0 end)' %}
    {{ index_stays }} as index_stays_{{ window }}d,
    {{ readmissions }} as readmissions_{{ window }}d,
    {{ readmissions }} * 1.0 / nullif({{ index_stays }}, 0) as readmission_rate_{{ window }}d,
    {{ wilson_low(readmissions, index_stays) }} as readmission_rate_{{ window }}d_low,
    {{ wilson_high(readmissions, index_stays) }}
        as readmission_rate_{{ window }}d_high{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- Per window: the age band's rate beside a diagnosis cell's, and the one-sample z statistic
    of the cell's rate against it (null below var readmission_min_index_stays_tested index
    stays). cells and bands are the relations holding readmission_rate_columns(). -#}
{% macro readmission_excess_z_columns(cells, bands) -%}
    {%- for window in var('readmission_windows_days') %}
    {{ bands }}.readmission_rate_{{ window }}d as age_band_rate_{{ window }}d,
    case
        when {{ cells }}.index_stays_{{ window }}d >= {{ var('readmission_min_index_stays_tested') }}
            then ({{ cells }}.readmission_rate_{{ window }}d - {{ bands }}.readmission_rate_{{ window }}d)
            / nullif(sqrt(
                {{ bands }}.readmission_rate_{{ window }}d * (1 - {{ bands }}.readmission_rate_{{ window }}d)
                / {{ cells }}.index_stays_{{ window }}d
            ), 0)
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
