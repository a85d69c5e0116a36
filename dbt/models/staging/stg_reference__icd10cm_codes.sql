with

source as (

    select * from {{ source('reference', 'icd10cm_codes') }}

),

renamed as (

    select
        cast(code as {{ dbt.type_string() }}) as icd10cm_code,
        cast(description as {{ dbt.type_string() }}) as icd10cm_description,
        cast(is_billable as boolean) as is_billable

    from source

)

select * from renamed
