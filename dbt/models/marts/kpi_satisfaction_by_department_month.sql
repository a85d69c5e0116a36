{#- HCAHPS-style satisfaction by department and month of discharge: mean overall rating
    (0-10), top-box share (rating 9 or 10) and would-recommend top box ("definitely yes"),
    each with its numerator and denominator. -#}

select
    department_name,
    discharge_month,
    count(*) as surveys,
    avg(overall_rating * 1.0) as mean_overall_rating,
    sum(case when is_rating_top_box then 1 else 0 end) as rating_top_box_count,
    sum(case when is_rating_top_box then 1 else 0 end) * 1.0 / count(*) as rating_top_box_share,
    sum(case when is_recommend_top_box then 1 else 0 end) as recommend_top_box_count,
    sum(case when is_recommend_top_box then 1 else 0 end) * 1.0 / count(*) as recommend_top_box_share

from {{ ref('fct_satisfaction_surveys') }}
group by department_name, discharge_month
