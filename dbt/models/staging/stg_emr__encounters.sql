with

source as (

    select * from {{ source('emr', 'encounters') }}

),

patients as (

    select patient_id from {{ ref('stg_emr__patients') }}

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
        min(cast(extracted_at as timestamp)) over (partition by encounter_id) as first_extracted_at,
        row_number() over (
            partition by encounter_id
            order by extracted_at desc
        ) as version_rank

    from source

),

latest as (

    select * from renamed
    where version_rank = 1

)

select
    latest.encounter_id,
    latest.patient_id,
    latest.encounter_class,
    latest.admitted_at,
    latest.discharged_at,
    latest.department_id,
    latest.provider_id,
    latest.admission_type,
    latest.admission_source,
    latest.discharge_disposition,
    latest.payer_id,
    latest.extracted_at,
    latest.first_extracted_at,
    coalesce(latest.discharged_at < latest.admitted_at, false) as is_discharge_before_admission,
    {{ dbt.datediff('coalesce(latest.discharged_at, latest.admitted_at)', 'latest.first_extracted_at', 'day') }}
        >= {{ var('late_arrival_days') }} as is_late_arriving,
    patients.patient_id is null as is_orphan

from latest
left join patients
    on latest.patient_id = patients.patient_id
