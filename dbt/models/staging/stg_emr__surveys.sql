{#- HCAHPS-style survey returns: the 0-10 overall hospital rating, would-recommend
    (definitely/probably yes/no) and communication items (never/sometimes/usually/always). -#}

with

source as (

    select * from {{ source('emr', 'surveys') }}

),

renamed as (

    select
        cast(survey_id as {{ dbt.type_string() }}) as survey_id,
        cast(encounter_id as {{ dbt.type_string() }}) as encounter_id,
        cast(patient_id as {{ dbt.type_string() }}) as patient_id,
        cast(received_at as timestamp) as received_at,
        cast(overall_rating as integer) as overall_rating,
        lower(trim(would_recommend)) as would_recommend,
        lower(trim(nurse_communication)) as nurse_communication,
        lower(trim(doctor_communication)) as doctor_communication

    from source

)

select * from renamed
