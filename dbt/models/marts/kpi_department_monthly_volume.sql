{#- Department activity per month: encounters, inpatient admissions, average length of stay
    with its 95% interval (mean +- 1.96 sd / sqrt(admissions)) and bed-days (CMS length of
    stay, a same-day stay counts one day). -#}

with

monthly as (

    select
        department_name,
        admission_month,
        count(*) as encounters,
        {{ count_where("encounter_class = 'inpatient'") }} as inpatient_admissions,
        avg(case when encounter_class = 'inpatient' then length_of_stay_days_cms end)
            as average_length_of_stay_days,
        stddev_samp(case when encounter_class = 'inpatient' then length_of_stay_days_cms end)
            as length_of_stay_sd,
        {{ as_bigint(
            "sum(case when encounter_class = 'inpatient' then length_of_stay_days_cms else 0 end)"
        ) }} as bed_days

    from {{ ref('fct_encounters') }}
    where is_reportable
    group by department_name, admission_month

)

select
    department_name,
    admission_month,
    encounters,
    inpatient_admissions,
    average_length_of_stay_days,
    average_length_of_stay_days - 1.96 * length_of_stay_sd / sqrt(inpatient_admissions)
        as average_length_of_stay_days_low,
    average_length_of_stay_days + 1.96 * length_of_stay_sd / sqrt(inpatient_admissions)
        as average_length_of_stay_days_high,
    bed_days

from monthly
