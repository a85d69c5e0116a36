{#- kpi_readmissions_overall has no key: its grain is the whole hospital, exactly one row. -#}

select count(*) as row_count

from {{ ref('kpi_readmissions_overall') }}
having count(*) <> 1
