{#- Observed readmission rates, one set per window of the var readmission_windows_days, by
    department and principal diagnosis (ICD-10-CM): the dashboard's drill-down from a
    department to its diagnoses. Observed rates only; which diagnoses are readmitted more than
    expected is kpi_readmissions_by_diagnosis's test. -#}

select
    department_name,
    principal_icd10_code,
    principal_description,
    {{ readmission_rate_columns() }}

from {{ ref('fct_readmissions') }}
group by department_name, principal_icd10_code, principal_description
