{#- ICD-10-CM codes are standardised (upper case, no spaces, the dot after the category);
    the delivered code is kept for audit. Whether the code exists in the official code set,
    and whether the encounter exists, is flagged in int_diagnoses_flagged. -#}

with

source as (

    select * from {{ source('emr', 'diagnoses') }}

),

renamed as (

    select
        cast(diagnosis_id as {{ dbt.type_string() }}) as diagnosis_id,
        cast(encounter_id as {{ dbt.type_string() }}) as encounter_id,
        cast(patient_id as {{ dbt.type_string() }}) as patient_id,
        cast(icd10_code as {{ dbt.type_string() }}) as icd10_code_as_delivered,
        replace(upper(trim(icd10_code)), ' ', '') as compact_code,
        cast(sequence as integer) as diagnosis_sequence,
        cast(is_principal as boolean) as is_principal,
        upper(trim(present_on_admission)) as present_on_admission,
        cast(extracted_at as timestamp) as extracted_at

    from source

),

standardised as (

    select
        *,
        case
            when {{ dbt.length('compact_code') }} > 3
                and {{ dbt.position("'.'", 'compact_code') }} = 0
                then {{ dbt.concat(["substring(compact_code, 1, 3)", "'.'", "substring(compact_code, 4)"]) }}
            else compact_code
        end as icd10_code

    from renamed

)

select
    diagnosis_id,
    encounter_id,
    patient_id,
    icd10_code,
    icd10_code_as_delivered,
    diagnosis_sequence,
    is_principal,
    present_on_admission,
    extracted_at,
    icd10_code <> icd10_code_as_delivered as is_code_standardised

from standardised
