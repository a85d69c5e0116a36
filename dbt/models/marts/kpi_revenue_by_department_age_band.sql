{#- Revenue per patient and per encounter by department and age band: net revenue (payments
    actually received, payer plus patient) with gross charges alongside. The per-patient mean
    and the gross charges per encounter carry 95% intervals (normal approximation over the
    patients' totals and the encounters' charges, which are right-skewed but many). -#}

with

per_patient as (

    select
        department_name,
        age_band,
        patient_id,
        count(*) as encounters,
        sum(net_revenue) as net_revenue,
        sum(gross_charges) as gross_charges,
        sum(gross_charges * gross_charges) as gross_charges_squared,
        sum(net_revenue * net_revenue) as net_revenue_squared

    from {{ ref('fct_encounters') }}
    where is_reportable
    group by department_name, age_band, patient_id

),

summed as (

    select
        department_name,
        age_band,
        count(*) as patients,
        {{ as_bigint('sum(encounters)') }} as encounters,
        sum(net_revenue) as net_revenue,
        sum(gross_charges) as gross_charges,
        sum(gross_charges_squared) as gross_charges_squared,
        sum(net_revenue_squared) as net_revenue_squared,
        stddev_samp(net_revenue) as net_revenue_per_patient_sd

    from per_patient
    group by department_name, age_band

)

select
    department_name,
    age_band,
    {{ age_band_label('age_band') }} as age_band_label,
    patients,
    encounters,
    net_revenue,
    gross_charges,
    net_revenue / patients as net_revenue_per_patient,
    net_revenue / patients - 1.96 * net_revenue_per_patient_sd / sqrt(patients)
        as net_revenue_per_patient_low,
    net_revenue / patients + 1.96 * net_revenue_per_patient_sd / sqrt(patients)
        as net_revenue_per_patient_high,
    net_revenue / encounters as net_revenue_per_encounter,
    net_revenue / encounters
    - {{ mean_margin_95('encounters', 'net_revenue', 'net_revenue_squared') }}
        as net_revenue_per_encounter_low,
    net_revenue / encounters
    + {{ mean_margin_95('encounters', 'net_revenue', 'net_revenue_squared') }}
        as net_revenue_per_encounter_high,
    gross_charges / patients as gross_charges_per_patient,
    gross_charges / encounters as gross_charges_per_encounter,
    gross_charges / encounters
    - {{ mean_margin_95('encounters', 'gross_charges', 'gross_charges_squared') }}
        as gross_charges_per_encounter_low,
    gross_charges / encounters
    + {{ mean_margin_95('encounters', 'gross_charges', 'gross_charges_squared') }}
        as gross_charges_per_encounter_high

from summed
