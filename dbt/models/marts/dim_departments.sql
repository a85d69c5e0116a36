with

departments as (

    select * from {{ ref('stg_emr__departments') }}

),

providers as (

    select
        department_id,
        count(*) as provider_count

    from {{ ref('stg_emr__providers') }}
    group by department_id

)

select
    departments.department_id,
    departments.department_name,
    departments.specialty,
    coalesce(providers.provider_count, 0) as provider_count

from departments
left join providers
    on departments.department_id = providers.department_id
