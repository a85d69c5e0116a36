{#- The dashboard's encounter counts at the finest grain its filters and charts need: month of
    admission, department, payer class, age band and chronic-condition group of the principal
    diagnosis (null: none). Reportable encounters only, as kpi_department_monthly_volume and
    kpi_chronic_condition_admissions_by_month count them, so the cells add up to both. -#}

select
    admission_month,
    department_name,
    payer_class,
    age_band,
    principal_condition_group as condition_group,
    count(*) as encounters,
    {{ count_where("encounter_class = 'inpatient'") }} as inpatient_admissions

from {{ ref('fct_encounters') }}
where is_reportable
group by admission_month, department_name, payer_class, age_band, principal_condition_group
