{#- One row per inpatient stay, with its index eligibility and readmission outcome (CMS
    hospital-wide readmission style, see int_readmission_pairs), described by the
    principal diagnosis, department and age band of its first encounter. -#}

with

pairs as (

    select * from {{ ref('int_readmission_pairs') }}

),

encounters as (

    select * from {{ ref('fct_encounters') }}

)

select
    pairs.stay_id,
    pairs.patient_id,
    pairs.admission_date,
    pairs.discharge_date,
    cast({{ dbt.date_trunc('month', 'pairs.discharge_date') }} as date) as discharge_month,
    encounters.department_id,
    encounters.department_name,
    encounters.age_at_admission,
    encounters.age_band,
    encounters.payer_class,
    encounters.principal_icd10_code,
    encounters.principal_description,
    encounters.principal_condition_group,
    pairs.discharge_disposition,
    pairs.is_planned,
    pairs.next_stay_id,
    pairs.days_to_next_admission,
    case when pairs.is_readmitted_30d or pairs.is_readmitted_60d then pairs.next_stay_gross_charges end
        as readmission_gross_charges,
    case when pairs.is_readmitted_30d or pairs.is_readmitted_60d then pairs.next_stay_net_revenue end
        as readmission_net_revenue,
    pairs.is_index_30d,
    pairs.is_readmitted_30d,
    pairs.is_index_60d,
    pairs.is_readmitted_60d

from pairs
inner join encounters
    on pairs.stay_id = encounters.encounter_id
