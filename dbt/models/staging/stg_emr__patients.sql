with

source as (

    select * from {{ source('emr', 'patients') }}

),

renamed as (

    select
        cast(patient_id as {{ dbt.type_string() }}) as patient_id,
        cast(first_name as {{ dbt.type_string() }}) as first_name,
        cast(last_name as {{ dbt.type_string() }}) as last_name,
        cast(birth_date as date) as birth_date,
        case
            when lower(trim(sex)) in ('f', 'female') then 'F'
            when lower(trim(sex)) in ('m', 'male') then 'M'
        end as sex,
        cast(sex as {{ dbt.type_string() }}) as sex_as_delivered,
        cast(race as {{ dbt.type_string() }}) as race,
        cast(ethnicity as {{ dbt.type_string() }}) as ethnicity,
        cast(address_line as {{ dbt.type_string() }}) as address_line,
        cast(city as {{ dbt.type_string() }}) as city,
        cast(state as {{ dbt.type_string() }}) as state,
        cast(zip_code as {{ dbt.type_string() }}) as zip_code,
        cast(death_date as date) as death_date,
        cast(extracted_at as timestamp) as extracted_at,
        -- the newest export wins; versions exported at the same moment (the raw audit rejects
        -- such deliveries) are ordered by every column, so the same one wins on every run
        row_number() over (
            partition by patient_id
            order by
                extracted_at desc,
                first_name asc,
                last_name asc,
                birth_date asc,
                sex asc,
                race asc,
                ethnicity asc,
                address_line asc,
                city asc,
                state asc,
                zip_code asc,
                death_date asc
        ) as version_rank

    from source

)

select
    patient_id,
    first_name,
    last_name,
    birth_date,
    sex,
    sex_as_delivered,
    race,
    ethnicity,
    address_line,
    city,
    state,
    zip_code,
    death_date,
    extracted_at,
    sex is null as is_sex_unrecognised

from renamed
where version_rank = 1
