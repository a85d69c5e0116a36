with

source as (

    select * from {{ source('reference', 'ccs_icd10cm') }}

),

renamed as (

    select
        cast(code as varchar) as icd10cm_code,
        cast(ccs_category as integer) as ccs_diagnosis_category,
        cast(ccs_description as varchar) as ccs_diagnosis_description,
        cast(mapping as varchar) as ccs_mapping

    from source

)

select * from renamed
