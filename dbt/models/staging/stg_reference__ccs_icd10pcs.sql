with

source as (

    select * from {{ source('reference', 'ccs_icd10pcs') }}

),

renamed as (

    select
        cast(code as {{ dbt.type_string() }}) as icd10pcs_code,
        cast(ccs_category as integer) as ccs_procedure_category,
        cast(ccs_description as {{ dbt.type_string() }}) as ccs_procedure_description

    from source

)

select * from renamed
