{#- Observed 30- and 60-day readmission rates by age band. -#}

select
    age_band,
    {{ readmission_rate_columns() }}

from {{ ref('fct_readmissions') }}
group by age_band
