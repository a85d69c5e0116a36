with

source as (

    select * from {{ source('reference', 'icd10pcs_codes') }}

),

renamed as (

    select
        cast(code as {{ dbt.type_string() }}) as icd10pcs_code,
        cast(description as {{ dbt.type_string() }}) as icd10pcs_description

    from source

)

select * from renamed
