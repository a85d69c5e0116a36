{#- Every procedure of stg_emr__procedures, with two flags: is_code_valid when an ICD-10-PCS
    code exists in the ICD-10-PCS code set (null for CPT/HCPCS, which have no open code set),
    is_orphan when the encounter is missing from stg_emr__encounters. -#}

with

procedures as (

    select * from {{ ref('stg_emr__procedures') }}

),

icd10pcs_codes as (

    select icd10pcs_code from {{ ref('stg_reference__icd10pcs_codes') }}

),

encounters as (

    select encounter_id from {{ ref('stg_emr__encounters') }}

)

select
    procedures.*,
    case
        when procedures.code_system = 'ICD10PCS' then icd10pcs_codes.icd10pcs_code is not null
    end as is_code_valid,
    encounters.encounter_id is null as is_orphan

from procedures
left join icd10pcs_codes
    on procedures.procedure_code = icd10pcs_codes.icd10pcs_code
left join encounters
    on procedures.encounter_id = encounters.encounter_id
