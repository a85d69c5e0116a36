{#- Vitals and labs, typed, the value as delivered. Impossible values (outside the limits of
    the seed vital_sign_limits) and orphans are flagged in int_observations_flagged. -#}

with

source as (

    select * from {{ source('emr', 'observations') }}

),

renamed as (

    select
        cast(observation_id as {{ dbt.type_string() }}) as observation_id,
        cast(encounter_id as {{ dbt.type_string() }}) as encounter_id,
        cast(patient_id as {{ dbt.type_string() }}) as patient_id,
        trim(loinc_code) as loinc_code,
        trim(observation_name) as observation_name,
        cast(value as {{ type_double() }}) as value_as_delivered,
        trim(unit) as unit,
        cast(observed_at as timestamp) as observed_at,
        cast(extracted_at as timestamp) as extracted_at

    from source

)

select * from renamed
