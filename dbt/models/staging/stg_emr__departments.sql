with

source as (

    select * from {{ source('emr', 'departments') }}

),

renamed as (

    select
        cast(department_id as {{ dbt.type_string() }}) as department_id,
        trim(department_name) as department_name,
        trim(specialty) as specialty

    from source

)

select * from renamed
