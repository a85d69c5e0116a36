{#- Seasonality per department: each calendar month's encounters over the years observed,
    against the department's ordinary month. seasonal_index = encounters over expected
    encounters (the department's encounters spread evenly over the months observed), with a
    95% interval from the Poisson count (exp(ln(index) +- 1.96 / sqrt(encounters)));
    z_score = (observed - expected) / sqrt(expected), the Poisson test of "no seasonality",
    with its one-sided p-value and the number of department-months tested (the Bonferroni
    family). A peak month is at least 20% above ordinary (a difference that matters for
    staffing) and significant after the Bonferroni correction (var finding_significance_level),
    so a small department's noise is not called a peak. A month that expects fewer than the var
    normal_approximation_min_expected encounters is not tested (null z). -#}

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
        {{ as_bigint('sum(encounters)') }} as encounters

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
        case
            when expected_encounters >= {{ var('normal_approximation_min_expected') }}
                then (encounters - expected_encounters) / sqrt(expected_encounters)
        end as z_score,
        count(
            case when expected_encounters >= {{ var('normal_approximation_min_expected') }} then 1 end
        ) over () as months_tested,
        rank() over (
            partition by department_name
            order by average_encounters desc
        ) as volume_rank

    from expected

),

tested as (

    select
        *,
        {{ normal_upper_tail('z_score') }} as p_value

    from indexed

)

select
    department_name,
    calendar_month,
    months_observed,
    encounters,
    average_encounters,
    expected_encounters,
    seasonal_index,
    case
        when encounters > 0 then seasonal_index * exp(-1.96 / sqrt(encounters))
    end as seasonal_index_low,
    case
        when encounters > 0 then seasonal_index * exp(1.96 / sqrt(encounters))
    end as seasonal_index_high,
    z_score,
    p_value,
    months_tested,
    least(1.0, p_value * months_tested) as p_value_bonferroni,
    {{ var('finding_significance_level') }} as significance_level,
    volume_rank,
    coalesce(
        seasonal_index >= 1.2 and p_value * months_tested < {{ var('finding_significance_level') }}, false
    ) as is_peak_month

from tested
