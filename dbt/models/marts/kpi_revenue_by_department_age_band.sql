{#- Revenue per patient and per encounter by department and age band: net revenue (payments
    actually received, payer plus patient) with gross charges alongside. -#}

select
    department_name,
    age_band,
    count(distinct patient_id) as patients,
    count(*) as encounters,
    sum(net_revenue) as net_revenue,
    sum(gross_charges) as gross_charges,
    sum(net_revenue) / count(distinct patient_id) as net_revenue_per_patient,
    sum(net_revenue) / count(*) as net_revenue_per_encounter,
    sum(gross_charges) / count(distinct patient_id) as gross_charges_per_patient

from {{ ref('fct_encounters') }}
where is_reportable
group by department_name, age_band
