{#- The hospital-wide observed readmission rates, one set per window of the var
    readmission_windows_days (one row). -#}

select
    {{ readmission_rate_columns() }}

from {{ ref('fct_readmissions') }}
