{#- Every diagnosis of stg_emr__diagnoses, with two flags: is_code_valid when the
    standardised code exists in the official ICD-10-CM code set, is_orphan when the encounter
    is missing from stg_emr__encounters. -#}

with

diagnoses as (

    select * from {{ ref('stg_emr__diagnoses') }}

),

icd10cm_codes as (

    select icd10cm_code from {{ ref('stg_reference__icd10cm_codes') }}

),

encounters as (

    select encounter_id from {{ ref('stg_emr__encounters') }}

)

select
    diagnoses.*,
    icd10cm_codes.icd10cm_code is not null as is_code_valid,
    encounters.encounter_id is null as is_orphan

from diagnoses
left join icd10cm_codes
    on diagnoses.icd10_code = icd10cm_codes.icd10cm_code
left join encounters
    on diagnoses.encounter_id = encounters.encounter_id
