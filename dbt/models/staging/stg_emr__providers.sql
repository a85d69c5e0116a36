with

source as (

    select * from {{ source('emr', 'providers') }}

),

renamed as (

    select
        cast(provider_id as varchar) as provider_id,
        cast(first_name as varchar) as first_name,
        cast(last_name as varchar) as last_name,
        cast(npi as varchar) as npi,
        cast(department_id as varchar) as department_id,
        trim(specialty) as specialty

    from source

)

select * from renamed
