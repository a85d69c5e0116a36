{#- HCAHPS-style satisfaction by department and month of discharge: mean overall rating
    (0-10) with its 95% interval (normal approximation with the sample standard deviation),
    top-box share (rating 9 or 10) and would-recommend top box ("definitely yes"), each with
    its numerator, denominator and 95% Wilson score interval. -#}

with

monthly as (

    select
        department_name,
        discharge_month,
        count(*) as surveys,
        avg(overall_rating * 1.0) as mean_overall_rating,
        stddev_samp(overall_rating * 1.0) as overall_rating_sd,
        {{ count_where('is_rating_top_box') }} as rating_top_box_count,
        {{ count_where('is_recommend_top_box') }} as recommend_top_box_count

    from {{ ref('fct_satisfaction_surveys') }}
    group by department_name, discharge_month

)

select
    department_name,
    discharge_month,
    surveys,
    mean_overall_rating,
    overall_rating_sd,
    mean_overall_rating - 1.96 * overall_rating_sd / sqrt(surveys) as mean_overall_rating_low,
    mean_overall_rating + 1.96 * overall_rating_sd / sqrt(surveys) as mean_overall_rating_high,
    rating_top_box_count,
    rating_top_box_count * 1.0 / surveys as rating_top_box_share,
    {{ wilson_low('rating_top_box_count', 'surveys') }} as rating_top_box_share_low,
    {{ wilson_high('rating_top_box_count', 'surveys') }} as rating_top_box_share_high,
    recommend_top_box_count,
    recommend_top_box_count * 1.0 / surveys as recommend_top_box_share,
    {{ wilson_low('recommend_top_box_count', 'surveys') }} as recommend_top_box_share_low,
    {{ wilson_high('recommend_top_box_count', 'surveys') }} as recommend_top_box_share_high

from monthly
