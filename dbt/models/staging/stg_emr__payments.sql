with

source as (

    select * from {{ source('emr', 'payments') }}

),

renamed as (

    select
        cast(payment_id as {{ dbt.type_string() }}) as payment_id,
        cast(encounter_id as {{ dbt.type_string() }}) as encounter_id,
        cast(patient_id as {{ dbt.type_string() }}) as patient_id,
        cast(payer_id as {{ dbt.type_string() }}) as payer_id,
        cast(gross_charge as {{ dbt.type_numeric() }}) as gross_charge_amount,
        cast(allowed_amount as {{ dbt.type_numeric() }}) as allowed_amount,
        cast(payer_paid as {{ dbt.type_numeric() }}) as payer_paid_amount,
        cast(patient_responsibility as {{ dbt.type_numeric() }}) as patient_responsibility_amount,
        cast(patient_paid as {{ dbt.type_numeric() }}) as patient_paid_amount,
        cast(posted_at as timestamp) as posted_at

    from source

)

select * from renamed
