{#- The dashboard's satisfaction surveys at the finest grain its filters need: month of
    discharge, department, and the payer class and age band of the surveyed encounter. The
    count, sum and sum of squares of the overall rating add up over any selection of cells, so
    the page computes a selection's mean rating and its normal 95% interval (mean +- 1.96 sd /
    sqrt(surveys), sd the sample standard deviation) as kpi_satisfaction_by_department does. -#}

with

surveys as (

    select
        surveys.discharge_month,
        surveys.department_name,
        encounters.payer_class,
        encounters.age_band,
        surveys.overall_rating

    from {{ ref('fct_satisfaction_surveys') }} as surveys
    inner join {{ ref('fct_encounters') }} as encounters
        on surveys.encounter_id = encounters.encounter_id

)

select
    discharge_month,
    department_name,
    payer_class,
    age_band,
    count(*) as surveys,
    {{ as_bigint('sum(overall_rating)') }} as overall_rating_sum,
    {{ as_bigint('sum(overall_rating * overall_rating)') }} as overall_rating_sum_of_squares

from surveys
group by discharge_month, department_name, payer_class, age_band
