with

source as (

    select * from {{ source('reference', 'icd10cm_codes') }}

),

renamed as (

    select
        cast(code as varchar) as icd10cm_code,
        cast(description as varchar) as icd10cm_description,
        cast(is_billable as boolean) as is_billable

    from source

)

select * from renamed
