with

source as (

    select * from {{ source('emr', 'encounters') }}

),

renamed as (

    select
        cast(encounter_id as varchar) as encounter_id,
        cast(patient_id as varchar) as patient_id,
        lower(trim(encounter_class)) as encounter_class,
        cast(admitted_at as timestamp) as admitted_at,
        cast(discharged_at as timestamp) as discharged_at,
        cast(department_id as varchar) as department_id,
        cast(provider_id as varchar) as provider_id,
        lower(trim(admission_type)) as admission_type,
        lower(trim(admission_source)) as admission_source,
        lower(trim(discharge_disposition)) as discharge_disposition,
        cast(payer_id as varchar) as payer_id,
        cast(extracted_at as timestamp) as extracted_at,
        row_number() over (
            partition by encounter_id
            order by extracted_at desc
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
    extracted_at,
    discharged_at < admitted_at as is_discharge_before_admission

from renamed
where version_rank = 1
