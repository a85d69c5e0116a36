{#- Observed readmission rates, one set per window of the var readmission_windows_days,
    by principal diagnosis (ICD-10-CM) and age band. -#}

select
    principal_icd10_code,
    principal_description,
    age_band,
    {{ readmission_rate_columns() }}

from {{ ref('fct_readmissions') }}
group by principal_icd10_code, principal_description, age_band
