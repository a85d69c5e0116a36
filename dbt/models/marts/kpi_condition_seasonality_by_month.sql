{#- Seasonality of inpatient admissions per chronic-condition group and calendar month,
    against what the group's own departments would predict. expected_share is the share of
    the group's admissions the calendar month would get if the group followed the monthly
    volume of its departments (every encounter of the department except the group's own,
    weighted by where the group is admitted), so a department's busy month is not mistaken for
    a rise of a condition. seasonal_index = observed / expected admissions, with a 95% interval
    from the Poisson count (exp(ln(index) +- 1.96 / sqrt(observed))). -#}

with

encounters as (

    select
        department_name,
        admission_month,
        principal_condition_group,
        encounter_class

    from {{ ref('fct_encounters') }}
    where is_reportable

),

groups as (

    select distinct principal_condition_group as condition_group
    from encounters
    where principal_condition_group is not null

),

department_months as (

    select
        department_name,
        admission_month,
        count(*) as encounters

    from encounters
    group by department_name, admission_month

),

group_department_months as (

    select
        principal_condition_group as condition_group,
        department_name,
        admission_month,
        count(*) as encounters,
        sum(case when encounter_class = 'inpatient' then 1 else 0 end) as inpatient_admissions

    from encounters
    where principal_condition_group is not null
    group by principal_condition_group, department_name, admission_month

),

reference_volume as (

    select
        groups.condition_group,
        department_months.department_name,
        department_months.admission_month,
        department_months.encounters - coalesce(group_department_months.encounters, 0) as encounters,
        coalesce(group_department_months.inpatient_admissions, 0) as inpatient_admissions

    from groups
    cross join department_months
    left join group_department_months
        on
            groups.condition_group = group_department_months.condition_group
            and department_months.department_name = group_department_months.department_name
            and department_months.admission_month = group_department_months.admission_month

),

weighted as (

    select
        condition_group,
        department_name,
        admission_month,
        inpatient_admissions,
        encounters * 1.0
        / nullif(sum(encounters) over (partition by condition_group, department_name), 0)
        * sum(inpatient_admissions) over (partition by condition_group, department_name)
            as expected_admissions

    from reference_volume

),

by_calendar_month as (

    select
        condition_group,
        {{ date_part_int('month', 'admission_month') }} as calendar_month,
        count(distinct admission_month) as months_observed,
        {{ as_bigint('sum(inpatient_admissions)') }} as inpatient_admissions,
        sum(coalesce(expected_admissions, 0)) as expected_admissions

    from weighted
    group by condition_group, {{ date_part_int('month', 'admission_month') }}

)

select
    condition_group,
    calendar_month,
    months_observed,
    inpatient_admissions,
    inpatient_admissions * 1.0 / months_observed as average_inpatient_admissions,
    expected_admissions,
    expected_admissions / nullif(sum(expected_admissions) over (partition by condition_group), 0)
        as expected_share,
    inpatient_admissions / nullif(expected_admissions, 0) as seasonal_index,
    case
        when inpatient_admissions > 0 and expected_admissions > 0
            then inpatient_admissions / expected_admissions * exp(-1.96 / sqrt(inpatient_admissions))
    end as seasonal_index_low,
    case
        when inpatient_admissions > 0 and expected_admissions > 0
            then inpatient_admissions / expected_admissions * exp(1.96 / sqrt(inpatient_admissions))
    end as seasonal_index_high

from by_calendar_month
