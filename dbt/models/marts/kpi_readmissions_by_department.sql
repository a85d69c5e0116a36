{#- Observed readmission rates, one set per window of the var readmission_windows_days,
    by department. -#}

select
    department_name,
    {{ readmission_rate_columns() }}

from {{ ref('fct_readmissions') }}
group by department_name
