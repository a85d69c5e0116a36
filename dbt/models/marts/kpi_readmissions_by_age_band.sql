{#- Observed readmission rates, one set per window of the var readmission_windows_days,
    by age band. -#}

select
    age_band,
    {{ readmission_rate_columns() }}

from {{ ref('fct_readmissions') }}
group by age_band
