{#- Observed readmission rates, one set per window of the var readmission_windows_days, by
    month of discharge (stays still open at the end of the data have no discharge month and
    are left out). -#}

select
    discharge_month,
    {{ readmission_rate_columns() }}

from {{ ref('fct_readmissions') }}
where discharge_month is not null
group by discharge_month
