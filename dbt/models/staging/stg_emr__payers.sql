with

source as (

    select * from {{ source('emr', 'payers') }}

),

renamed as (

    select
        cast(payer_id as {{ dbt.type_string() }}) as payer_id,
        trim(payer_name) as payer_name,
        lower(trim(payer_class)) as payer_class,
        lower(trim(payer_class)) = 'self_pay' as is_uninsured

    from source

)

select * from renamed
