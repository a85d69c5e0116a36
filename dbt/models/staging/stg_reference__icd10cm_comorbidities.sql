with

source as (

    select * from {{ source('reference', 'icd10cm_comorbidities') }}

),

renamed as (

    select
        cast(icd10cm_code as {{ dbt.type_string() }}) as icd10cm_code,
        cast(system as {{ dbt.type_string() }}) as comorbidity_system,
        cast(category as {{ dbt.type_string() }}) as comorbidity_category,
        cast(weight as integer) as comorbidity_weight,
        cast(weight_alt as integer) as comorbidity_weight_alt,
        cast(uses_poa as boolean) as requires_present_on_admission

    from source

)

select * from renamed
