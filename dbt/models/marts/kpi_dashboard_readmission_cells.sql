{#- The dashboard's readmission counts at the finest grain its filters and charts need: month
    of discharge, department, payer class, age band and principal diagnosis. Counts only, one
    pair per window of the var readmission_windows_days, so any selection of cells adds up; the
    page sums the selected cells and computes each rate and its Wilson interval as
    readmission_rate_columns() does. Stays never discharged within the data (no discharge
    month) have no index stay and are left out. -#}

select
    discharge_month,
    department_name,
    payer_class,
    age_band,
    principal_icd10_code,
    {{ readmission_count_columns() }}

from {{ ref('fct_readmissions') }}
where discharge_month is not null
group by discharge_month, department_name, payer_class, age_band, principal_icd10_code
