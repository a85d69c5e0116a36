{#- The dashboard's revenue selections for the whole period and all payers give what
    kpi_revenue_by_department_age_band shows, the chart drawn before a filter is chosen:
    patients, encounters, net revenue, revenue per patient and its interval, for every
    department and age band. Rows returned are departures. -#}

with

whole as (

    select *
    from {{ ref('kpi_dashboard_revenue_selections') }}
    where period_months = 0 and is_all_payers

)

select
    coalesce(marts.department_name, whole.department_name) as department_name,
    coalesce(marts.age_band, whole.age_band) as age_band

from {{ ref('kpi_revenue_by_department_age_band') }} as marts
full outer join whole
    on
        marts.department_name = whole.department_name
        and marts.age_band = whole.age_band
where
    coalesce(marts.patients, -1) != coalesce(whole.patients, -1)
    or coalesce(marts.encounters, -1) != coalesce(whole.encounters, -1)
    or abs(coalesce(marts.net_revenue, 0) - coalesce(whole.net_revenue, 0)) > 0.005
    or abs(coalesce(marts.net_revenue_per_patient_low, 0) - coalesce(whole.net_revenue_per_patient_low, 0))
    > 0.005
    or abs(coalesce(marts.net_revenue_per_patient_high, 0) - coalesce(whole.net_revenue_per_patient_high, 0))
    > 0.005
