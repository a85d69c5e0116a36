{#- The ICD-10-PCS procedures of inpatient stays (any encounter of a transfer chain), with
    their AHRQ CCS procedure category: what the planned readmission algorithm and the surgical
    cohort read. Only codes found in the ICD-10-PCS code set, on existing encounters, count;
    CPT/HCPCS professional services do not (the CMS algorithm is written in ICD-10-PCS). -#}

{#- A table, not a view: the readmission models and their key tests read it several times,
    and a view would recompute it (and everything under it) each time. -#}
{{ config(materialized='table') }}

with

procedures as (

    select * from {{ ref('int_procedures_flagged') }}
    where code_system = 'ICD10PCS'
        and is_code_valid
        and not is_orphan

),

encounters as (

    select
        encounter_id,
        stay_id

    from {{ ref('int_inpatient_encounters_chained') }}

),

procedure_categories as (

    select * from {{ ref('stg_reference__ccs_icd10pcs') }}

)

select
    procedures.procedure_id,
    encounters.stay_id,
    procedures.encounter_id,
    procedures.procedure_code,
    procedure_categories.ccs_procedure_category

from procedures
inner join encounters
    on procedures.encounter_id = encounters.encounter_id
left join procedure_categories
    on procedures.procedure_code = procedure_categories.icd10pcs_code
