{#- Gross charge lines, typed. Whether the encounter exists is flagged in int_charges_flagged. -#}

with

source as (

    select * from {{ source('emr', 'charges') }}

),

renamed as (

    select
        cast(charge_id as {{ dbt.type_string() }}) as charge_id,
        cast(encounter_id as {{ dbt.type_string() }}) as encounter_id,
        cast(patient_id as {{ dbt.type_string() }}) as patient_id,
        cast(line_number as integer) as line_number,
        upper(trim(code)) as charge_code,
        upper(trim(code_system)) as code_system,
        trim(description) as charge_label,
        cast(service_date as date) as service_date,
        cast(units as integer) as units,
        cast(charge_amount as {{ dbt.type_numeric() }}) as gross_charge_amount,
        cast(posted_at as timestamp) as posted_at

    from source

)

select * from renamed
