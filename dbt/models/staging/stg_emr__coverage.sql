with

source as (

    select * from {{ source('emr', 'coverage') }}

),

renamed as (

    select
        cast(coverage_id as {{ dbt.type_string() }}) as coverage_id,
        cast(patient_id as {{ dbt.type_string() }}) as patient_id,
        cast(payer_id as {{ dbt.type_string() }}) as payer_id,
        cast(start_date as date) as coverage_start_date,
        cast(end_date as date) as coverage_end_date

    from source

)

select * from renamed
