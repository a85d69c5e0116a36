{#- HCAHPS-style satisfaction by department over the whole period, beside the hospital's: mean
    overall rating with its 95% interval (mean +- 1.96 sd / sqrt(surveys)) and top-box share
    with its 95% Wilson score interval. -#}

with

surveys as (

    select
        department_name,
        overall_rating * 1.0 as overall_rating,
        case when is_rating_top_box then 1 else 0 end as is_top_box

    from {{ ref('fct_satisfaction_surveys') }}

),

departments as (

    select
        department_name,
        count(*) as surveys,
        avg(overall_rating) as mean_overall_rating,
        stddev_samp(overall_rating) as overall_rating_sd,
        {{ as_bigint('sum(is_top_box)') }} as rating_top_box_count

    from surveys
    group by department_name

),

hospital as (

    select
        count(*) as surveys,
        avg(overall_rating) as mean_overall_rating,
        stddev_samp(overall_rating) as overall_rating_sd

    from surveys

)

select
    departments.department_name,
    departments.surveys,
    departments.mean_overall_rating,
    departments.mean_overall_rating
    - 1.96 * departments.overall_rating_sd / sqrt(departments.surveys) as mean_overall_rating_low,
    departments.mean_overall_rating
    + 1.96 * departments.overall_rating_sd / sqrt(departments.surveys) as mean_overall_rating_high,
    departments.rating_top_box_count,
    departments.rating_top_box_count * 1.0 / departments.surveys as rating_top_box_share,
    {{ wilson_low('departments.rating_top_box_count', 'departments.surveys') }} as rating_top_box_share_low,
    {{ wilson_high('departments.rating_top_box_count', 'departments.surveys') }} as rating_top_box_share_high,
    hospital.surveys as hospital_surveys,
    hospital.mean_overall_rating as hospital_mean_overall_rating,
    hospital.mean_overall_rating
    - 1.96 * hospital.overall_rating_sd / sqrt(hospital.surveys) as hospital_mean_overall_rating_low,
    hospital.mean_overall_rating
    + 1.96 * hospital.overall_rating_sd / sqrt(hospital.surveys) as hospital_mean_overall_rating_high

from departments
cross join hospital
