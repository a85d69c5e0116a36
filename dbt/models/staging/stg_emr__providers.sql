with

source as (

    select * from {{ source('emr', 'providers') }}

),

renamed as (

    select
        cast(provider_id as {{ dbt.type_string() }}) as provider_id,
        cast(first_name as {{ dbt.type_string() }}) as first_name,
        cast(last_name as {{ dbt.type_string() }}) as last_name,
        cast(npi as {{ dbt.type_string() }}) as npi,
        cast(department_id as {{ dbt.type_string() }}) as department_id,
        trim(specialty) as specialty

    from source

)

select * from renamed
