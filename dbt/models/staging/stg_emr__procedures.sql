{#- Procedures performed, typed. Whether the encounter exists is flagged in
    int_procedures_flagged. -#}

with

source as (

    select * from {{ source('emr', 'procedures') }}

),

renamed as (

    select
        cast(procedure_id as {{ dbt.type_string() }}) as procedure_id,
        cast(encounter_id as {{ dbt.type_string() }}) as encounter_id,
        cast(patient_id as {{ dbt.type_string() }}) as patient_id,
        upper(trim(code)) as procedure_code,
        upper(trim(code_system)) as code_system,
        trim(description) as procedure_label,
        cast(performed_at as timestamp) as performed_at,
        cast(provider_id as {{ dbt.type_string() }}) as provider_id,
        cast(extracted_at as timestamp) as extracted_at

    from source

)

select * from renamed
