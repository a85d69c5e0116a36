{#- Vitals and labs. A value outside the physiological limits of its LOINC code (seed
    vital_sign_limits) is a typing error: it is nulled and flagged, the delivered value kept. -#}

with

source as (

    select * from {{ source('emr', 'observations') }}

),

encounters as (

    select encounter_id from {{ ref('stg_emr__encounters') }}

),

limits as (

    select * from {{ ref('vital_sign_limits') }}

),

renamed as (

    select
        cast(observation_id as varchar) as observation_id,
        cast(encounter_id as varchar) as encounter_id,
        cast(patient_id as varchar) as patient_id,
        trim(loinc_code) as loinc_code,
        trim(observation_name) as observation_name,
        cast(value as double) as value_as_delivered,
        trim(unit) as unit,
        cast(observed_at as timestamp) as observed_at,
        cast(extracted_at as timestamp) as extracted_at

    from source

),

checked as (

    select
        renamed.*,
        renamed.value_as_delivered not between limits.min_value and limits.max_value
            as is_value_impossible,
        encounters.encounter_id is null as is_orphan

    from renamed
    left join limits
        on renamed.loinc_code = limits.loinc_code
    left join encounters
        on renamed.encounter_id = encounters.encounter_id

)

select
    observation_id,
    encounter_id,
    patient_id,
    loinc_code,
    observation_name,
    case when coalesce(is_value_impossible, false) then null else value_as_delivered end as value,
    value_as_delivered,
    unit,
    observed_at,
    extracted_at,
    coalesce(is_value_impossible, false) as is_value_impossible,
    is_orphan

from checked
