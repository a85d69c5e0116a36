with

source as (

    select * from {{ source('reference', 'ccs_icd10cm') }}

),

renamed as (

    select
        cast(code as {{ dbt.type_string() }}) as icd10cm_code,
        cast(ccs_category as integer) as ccs_diagnosis_category,
        cast(ccs_description as {{ dbt.type_string() }}) as ccs_diagnosis_description,
        cast(mapping as {{ dbt.type_string() }}) as ccs_mapping

    from source

)

select * from renamed
