{#- Inpatient stays: the encounters of int_inpatient_encounters_chained grouped by stay (a
    transfer chain is one stay). A stay keeps its first encounter's admission, department,
    admission type, payer and principal diagnosis (the reason for admission) and its last
    encounter's discharge and disposition (CMS: only the chain's last discharge can index),
    and sums the charges and payments of all its encounters. -#}

{#- A table, not a view: the readmission models and their key tests read it several times,
    and a view would recompute it (and everything under it) each time. -#}
{{ config(materialized='table') }}

with

encounters as (

    select * from {{ ref('int_inpatient_encounters_chained') }}

),

financials as (

    select * from {{ ref('int_encounter_financials_summed') }}

),

principal_diagnoses as (

    select
        encounter_id,
        icd10_code,
        is_code_valid,
        row_number() over (
            partition by encounter_id
            order by diagnosis_sequence, diagnosis_id
        ) as principal_rank

    from {{ ref('int_diagnoses_flagged') }}
    where is_principal
        and not is_orphan

),

diagnosis_categories as (

    select * from {{ ref('stg_reference__ccs_icd10cm') }}

),

bounds as (

    select
        encounters.stay_id,
        min(encounters.encounter_number) as first_encounter_number,
        max(encounters.encounter_number) as last_encounter_number,
        count(*) as encounters_in_stay,
        sum(financials.gross_charges) as gross_charges,
        sum(financials.net_revenue) as net_revenue

    from encounters
    left join financials
        on encounters.encounter_id = financials.encounter_id
    group by encounters.stay_id

)

select
    bounds.stay_id,
    first_encounter.patient_id,
    first_encounter.stay_number,
    first_encounter.admitted_at,
    last_encounter.discharged_at,
    cast(first_encounter.admitted_at as date) as admission_date,
    cast(last_encounter.discharged_at as date) as discharge_date,
    first_encounter.department_id,
    first_encounter.admission_type,
    first_encounter.payer_id,
    last_encounter.encounter_id as last_encounter_id,
    last_encounter.discharge_disposition,
    principal_diagnoses.icd10_code as principal_icd10_code,
    principal_diagnoses.is_code_valid as is_principal_code_valid,
    diagnosis_categories.ccs_diagnosis_category as principal_ccs_category,
    bounds.encounters_in_stay,
    bounds.gross_charges,
    bounds.net_revenue

from bounds
inner join encounters as first_encounter
    on bounds.stay_id = first_encounter.stay_id
        and bounds.first_encounter_number = first_encounter.encounter_number
inner join encounters as last_encounter
    on bounds.stay_id = last_encounter.stay_id
        and bounds.last_encounter_number = last_encounter.encounter_number
left join principal_diagnoses
    on first_encounter.encounter_id = principal_diagnoses.encounter_id
        and principal_diagnoses.principal_rank = 1
left join diagnosis_categories
    on principal_diagnoses.icd10_code = diagnosis_categories.icd10cm_code
        and principal_diagnoses.is_code_valid
