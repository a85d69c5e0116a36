{#- Seasonality per department: the average monthly encounter volume of each calendar month,
    as an index against the department's average month (1.0 = ordinary). The busiest
    month ranks 1; a month at least 20% above ordinary is marked a peak month. -#}

with

monthly as (

    select
        department_name,
        admission_month,
        {{ date_part_int('month', 'admission_month') }} as calendar_month,
        encounters

    from {{ ref('kpi_department_monthly_volume') }}

),

by_calendar_month as (

    select
        department_name,
        calendar_month,
        count(*) as months_observed,
        avg(encounters * 1.0) as average_encounters

    from monthly
    group by department_name, calendar_month

),

indexed as (

    select
        by_calendar_month.*,
        average_encounters
            / avg(average_encounters) over (partition by department_name) as seasonal_index,
        rank() over (partition by department_name order by average_encounters desc)
            as volume_rank

    from by_calendar_month

)

select
    department_name,
    calendar_month,
    months_observed,
    average_encounters,
    seasonal_index,
    volume_rank,
    seasonal_index >= 1.2 as is_peak_month

from indexed
