{#- Without a filter the dashboard's readmission cells give what the marts show: each
    department's and each month's 30- and 60-day index stays and readmissions (the windows the
    dashboard draws). Rows returned are departures. -#}

with

by_department as (

    select
        department_name,
        {{ as_bigint('sum(index_stays_30d)') }} as index_stays_30d,
        {{ as_bigint('sum(readmissions_30d)') }} as readmissions_30d,
        {{ as_bigint('sum(index_stays_60d)') }} as index_stays_60d,
        {{ as_bigint('sum(readmissions_60d)') }} as readmissions_60d

    from {{ ref('kpi_dashboard_readmission_cells') }}
    group by department_name

),

by_month as (

    select
        discharge_month,
        {{ as_bigint('sum(index_stays_30d)') }} as index_stays_30d,
        {{ as_bigint('sum(readmissions_30d)') }} as readmissions_30d,
        {{ as_bigint('sum(index_stays_60d)') }} as index_stays_60d,
        {{ as_bigint('sum(readmissions_60d)') }} as readmissions_60d

    from {{ ref('kpi_dashboard_readmission_cells') }}
    group by discharge_month

)

select 'department' as departure
from {{ ref('kpi_readmissions_by_department') }} as marts
left join by_department
    on marts.department_name = by_department.department_name
where
    coalesce(by_department.index_stays_30d, 0) != marts.index_stays_30d
    or coalesce(by_department.readmissions_30d, 0) != marts.readmissions_30d
    or coalesce(by_department.index_stays_60d, 0) != marts.index_stays_60d
    or coalesce(by_department.readmissions_60d, 0) != marts.readmissions_60d

union all

select 'month' as departure
from {{ ref('kpi_readmissions_by_month') }} as marts
full outer join by_month
    on marts.discharge_month = by_month.discharge_month
where
    coalesce(by_month.index_stays_30d, -1) != coalesce(marts.index_stays_30d, -1)
    or coalesce(by_month.readmissions_30d, -1) != coalesce(marts.readmissions_30d, -1)
    or coalesce(by_month.index_stays_60d, -1) != coalesce(marts.index_stays_60d, -1)
    or coalesce(by_month.readmissions_60d, -1) != coalesce(marts.readmissions_60d, -1)
