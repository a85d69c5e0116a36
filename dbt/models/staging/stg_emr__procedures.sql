with

source as (

    select * from {{ source('emr', 'procedures') }}

),

encounters as (

    select encounter_id from {{ ref('stg_emr__encounters') }}

),

renamed as (

    select
        cast(procedure_id as varchar) as procedure_id,
        cast(encounter_id as varchar) as encounter_id,
        cast(patient_id as varchar) as patient_id,
        upper(trim(code)) as procedure_code,
        upper(trim(code_system)) as code_system,
        trim(description) as procedure_label,
        cast(performed_at as timestamp) as performed_at,
        cast(provider_id as varchar) as provider_id,
        cast(extracted_at as timestamp) as extracted_at

    from source

)

select
    renamed.*,
    encounters.encounter_id is null as is_orphan

from renamed
left join encounters
    on renamed.encounter_id = encounters.encounter_id
