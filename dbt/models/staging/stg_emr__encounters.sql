{#- The latest exported version of each encounter. Inverted dates and late deliveries are
    flagged here (both are facts of the row itself); the orphan flag needs the patients and
    is set in int_encounters_flagged. -#}

with

source as (

    select * from {{ source('emr', 'encounters') }}

),

renamed as (

    select
        cast(encounter_id as {{ dbt.type_string() }}) as encounter_id,
        cast(patient_id as {{ dbt.type_string() }}) as patient_id,
        lower(trim(encounter_class)) as encounter_class,
        cast(admitted_at as timestamp) as admitted_at,
        cast(discharged_at as timestamp) as discharged_at,
        cast(department_id as {{ dbt.type_string() }}) as department_id,
        cast(provider_id as {{ dbt.type_string() }}) as provider_id,
        lower(trim(admission_type)) as admission_type,
        lower(trim(admission_source)) as admission_source,
        lower(trim(discharge_disposition)) as discharge_disposition,
        cast(payer_id as {{ dbt.type_string() }}) as payer_id,
        cast(mother_encounter_id as {{ dbt.type_string() }}) as mother_encounter_id,
        cast(admitted_encounter_id as {{ dbt.type_string() }}) as admitted_encounter_id,
        cast(extracted_at as timestamp) as extracted_at,
        min(cast(extracted_at as timestamp)) over (partition by encounter_id) as first_extracted_at,
        -- the newest export wins; versions exported at the same moment (the raw audit rejects
        -- such deliveries) are ordered by every column, so the same one wins on every run
        row_number() over (
            partition by encounter_id
            order by
                extracted_at desc,
                patient_id asc,
                encounter_class asc,
                admitted_at asc,
                discharged_at asc,
                department_id asc,
                provider_id asc,
                admission_type asc,
                admission_source asc,
                discharge_disposition asc,
                payer_id asc,
                mother_encounter_id asc,
                admitted_encounter_id asc
        ) as version_rank

    from source

)

select
    encounter_id,
    patient_id,
    encounter_class,
    admitted_at,
    discharged_at,
    department_id,
    provider_id,
    admission_type,
    admission_source,
    discharge_disposition,
    payer_id,
    mother_encounter_id,
    admitted_encounter_id,
    extracted_at,
    first_extracted_at,
    coalesce(discharged_at < admitted_at, false) as is_discharge_before_admission,
    {{ dbt.datediff('coalesce(discharged_at, admitted_at)', 'first_extracted_at', 'day') }}
    >= {{ var('late_arrival_days') }} as is_late_arriving

from renamed
where version_rank = 1
