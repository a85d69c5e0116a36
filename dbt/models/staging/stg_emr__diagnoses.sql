{#- ICD-10-CM codes are standardised (upper case, no spaces, the dot after the category)
    and checked against the official code set; the delivered code is kept for audit. -#}

with

source as (

    select * from {{ source('emr', 'diagnoses') }}

),

encounters as (

    select encounter_id from {{ ref('stg_emr__encounters') }}

),

icd10cm_codes as (

    select icd10cm_code from {{ ref('stg_reference__icd10cm_codes') }}

),

renamed as (

    select
        cast(diagnosis_id as varchar) as diagnosis_id,
        cast(encounter_id as varchar) as encounter_id,
        cast(patient_id as varchar) as patient_id,
        cast(icd10_code as varchar) as icd10_code_as_delivered,
        replace(upper(trim(icd10_code)), ' ', '') as compact_code,
        cast(sequence as integer) as diagnosis_sequence,
        cast(is_principal as boolean) as is_principal,
        upper(trim(present_on_admission)) as present_on_admission,
        cast(extracted_at as timestamp) as extracted_at

    from source

),

standardised as (

    select
        renamed.*,
        case
            when {{ dbt.length('compact_code') }} > 3
                and {{ dbt.position("'.'", 'compact_code') }} = 0
            then {{ dbt.concat(["substring(compact_code, 1, 3)", "'.'", "substring(compact_code, 4)"]) }}
            else compact_code
        end as icd10_code

    from renamed

)

select
    standardised.diagnosis_id,
    standardised.encounter_id,
    standardised.patient_id,
    standardised.icd10_code,
    standardised.icd10_code_as_delivered,
    standardised.diagnosis_sequence,
    standardised.is_principal,
    standardised.present_on_admission,
    standardised.extracted_at,
    standardised.icd10_code <> standardised.icd10_code_as_delivered as is_code_standardised,
    icd10cm_codes.icd10cm_code is not null as is_code_valid,
    encounters.encounter_id is null as is_orphan

from standardised
left join icd10cm_codes
    on standardised.icd10_code = icd10cm_codes.icd10cm_code
left join encounters
    on standardised.encounter_id = encounters.encounter_id
