{#- Seasonality per department: each calendar month's encounters over the years observed,
    against the department's ordinary month. seasonal_index = average encounters of the month
    over the department's average month; z_score = (observed - expected) / sqrt(expected),
    the Poisson test of "no seasonality". A peak month is at least 20% above ordinary and
    clearly so (z_score >= 3), so a small department's noise is not called a peak. -#}

with

monthly as (

    select
        department_name,
        {{ date_part_int('month', 'admission_month') }} as calendar_month,
        encounters

    from {{ ref('kpi_department_monthly_volume') }}

),

by_calendar_month as (

    select
        department_name,
        calendar_month,
        count(*) as months_observed,
        sum(encounters) as encounters

    from monthly
    group by department_name, calendar_month

),

expected as (

    select
        *,
        encounters * 1.0 / months_observed as average_encounters,
        sum(encounters) over (partition by department_name) * 1.0 * months_observed
        / sum(months_observed) over (partition by department_name) as expected_encounters

    from by_calendar_month

),

indexed as (

    select
        *,
        encounters / expected_encounters as seasonal_index,
        (encounters - expected_encounters) / sqrt(expected_encounters) as z_score,
        rank() over (
            partition by department_name
            order by average_encounters desc
        ) as volume_rank

    from expected

)

select
    department_name,
    calendar_month,
    months_observed,
    encounters,
    average_encounters,
    expected_encounters,
    seasonal_index,
    z_score,
    volume_rank,
    seasonal_index >= 1.2 and z_score >= 3 as is_peak_month

from indexed
