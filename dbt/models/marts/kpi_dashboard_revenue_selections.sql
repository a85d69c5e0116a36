{#- Net revenue per patient by department and age band for every selection of the dashboard's
    period and payer filters: the whole period and each period the page offers (the last
    var('dashboard_period_months') months up to the last admission day, counted by month of
    admission), each payer class and all payers (is_all_payers). Revenue per patient divides
    by distinct patients, who do not add up over months or payers, so each selection is
    summed from its patients here rather than from the additive cells in the page. The
    department and age band filters pick rows: the chart is drawn by both. The figures and
    the interval are those of kpi_revenue_by_department_age_band, which the rows of the whole
    period and all payers equal (tested). -#}

with

periods as (

    {{ dashboard_periods() }}

),

patient_cells as (

    select
        department_name,
        age_band,
        payer_class,
        admission_month,
        patient_id,
        count(*) as encounters,
        sum(net_revenue) as net_revenue

    from {{ ref('fct_encounters') }}
    where is_reportable
    group by department_name, age_band, payer_class, admission_month, patient_id

),

selected as (

    select
        periods.period_months,
        patient_cells.department_name,
        patient_cells.age_band,
        patient_cells.payer_class,
        patient_cells.patient_id,
        patient_cells.encounters,
        patient_cells.net_revenue

    from patient_cells
    inner join periods
        on periods.period_start is null or patient_cells.admission_month >= periods.period_start

),

per_patient as (

    select
        period_months,
        false as is_all_payers,
        payer_class,
        department_name,
        age_band,
        patient_id,
        sum(encounters) as encounters,
        sum(net_revenue) as net_revenue

    from selected
    group by period_months, payer_class, department_name, age_band, patient_id

    union all

    select
        period_months,
        true as is_all_payers,
        cast(null as {{ dbt.type_string() }}) as payer_class,
        department_name,
        age_band,
        patient_id,
        sum(encounters) as encounters,
        sum(net_revenue) as net_revenue

    from selected
    group by period_months, department_name, age_band, patient_id

),

summed as (

    select
        period_months,
        is_all_payers,
        payer_class,
        department_name,
        age_band,
        count(*) as patients,
        {{ as_bigint('sum(encounters)') }} as encounters,
        sum(net_revenue) as net_revenue,
        stddev_samp(net_revenue) as net_revenue_per_patient_sd

    from per_patient
    group by period_months, is_all_payers, payer_class, department_name, age_band

)

select
    period_months,
    is_all_payers,
    payer_class,
    department_name,
    age_band,
    patients,
    encounters,
    net_revenue,
    net_revenue / patients as net_revenue_per_patient,
    net_revenue / patients - 1.96 * net_revenue_per_patient_sd / sqrt(patients)
        as net_revenue_per_patient_low,
    net_revenue / patients + 1.96 * net_revenue_per_patient_sd / sqrt(patients)
        as net_revenue_per_patient_high

from summed
