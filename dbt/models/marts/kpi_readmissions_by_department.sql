{#- Observed 30- and 60-day readmission rates by department. -#}

select
    department_name,
    {{ readmission_rate_columns() }}

from {{ ref('fct_readmissions') }}
group by department_name
