{#- The hospital-wide observed 30- and 60-day readmission rates (one row). -#}

select
    {{ readmission_rate_columns() }}

from {{ ref('fct_readmissions') }}
