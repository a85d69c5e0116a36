{#- Where a department's mean overall rating changed: every month that leaves at least the
    var change_point_min_months months of surveys on each side is a candidate split, and the
    surveys before and from it are compared with a two-sample z test of the means (at least the
    var change_point_min_surveys surveys per side) whose variance is pooled over both sides:
    under the null hypothesis of no change both sides share one distribution, and with one
    variance the split with the largest |z| is the maximum-likelihood location of a single
    shift in the mean (Hinkley 1970, Biometrika 57). Welch's unequal-variance statistic is not
    used: when the ratings after a fall spread more (away from the 10-point cap), its |z|
    grows with the size of the after side and puts the split months too early. relative_change = mean after / mean before - 1, with a 95% interval by the
    delta method. splits_tested counts every candidate split of every department (the
    Bonferroni family); a change point is a department's best split whose corrected two-sided
    p-value is below the var finding_significance_level. -#}

with

monthly as (

    select
        department_name,
        discharge_month,
        count(*) as surveys,
        sum(overall_rating * 1.0) as rating_sum,
        sum(overall_rating * overall_rating * 1.0) as rating_square_sum

    from {{ ref('fct_satisfaction_surveys') }}
    group by department_name, discharge_month

),

cumulative as (

    select
        department_name,
        discharge_month,
        row_number() over (
            partition by department_name
            order by discharge_month
        ) - 1 as months_before,
        count(*) over (partition by department_name) as months_observed,
        {{ as_bigint('coalesce(sum(surveys) over before_split, 0)') }} as surveys_before,
        coalesce(sum(rating_sum) over before_split, 0) as rating_sum_before,
        coalesce(sum(rating_square_sum) over before_split, 0) as rating_square_sum_before,
        {{ as_bigint('sum(surveys) over (partition by department_name)') }} as surveys_total,
        sum(rating_sum) over (partition by department_name) as rating_sum_total,
        sum(rating_square_sum) over (partition by department_name) as rating_square_sum_total

    from monthly
    window before_split as (
        partition by department_name
        order by discharge_month
        rows between unbounded preceding and 1 preceding
    )

),

sides as (

    select
        department_name,
        discharge_month as split_month,
        months_before,
        months_observed - months_before as months_after,
        surveys_before,
        surveys_total - surveys_before as surveys_after,
        rating_sum_before / surveys_before as mean_before,
        (rating_sum_total - rating_sum_before) / (surveys_total - surveys_before) as mean_after,
        (rating_square_sum_before - rating_sum_before * rating_sum_before / surveys_before)
        / (surveys_before - 1) as variance_before,
        (
            (rating_square_sum_total - rating_square_sum_before)
            - (rating_sum_total - rating_sum_before) * (rating_sum_total - rating_sum_before)
            / (surveys_total - surveys_before)
        ) / (surveys_total - surveys_before - 1) as variance_after

    from cumulative
    where
        months_before >= {{ var('change_point_min_months') }}
        and months_observed - months_before >= {{ var('change_point_min_months') }}
        and surveys_before >= {{ var('change_point_min_surveys') }}
        and surveys_total - surveys_before >= {{ var('change_point_min_surveys') }}

),

tested as (

    select
        *,
        (mean_after - mean_before)
        / nullif(
            sqrt(
                ((surveys_before - 1) * variance_before + (surveys_after - 1) * variance_after)
                / (surveys_before + surveys_after - 2)
                * (1.0 / surveys_before + 1.0 / surveys_after)
            ),
            0
        ) as z_score,
        mean_after / nullif(mean_before, 0) - 1 as relative_change,
        mean_after / nullif(mean_before, 0) * sqrt(
            variance_after / surveys_after / nullif(mean_after * mean_after, 0)
            + variance_before / surveys_before / nullif(mean_before * mean_before, 0)
        ) as relative_change_standard_error

    from sides

),

ranked as (

    select
        *,
        {{ normal_two_sided_p('z_score') }} as p_value,
        count(*) over () as splits_tested,
        row_number()
            over (
                partition by department_name
                order by abs(z_score) desc nulls last, split_month asc
            )
            as split_rank

    from tested

)

select
    department_name,
    split_month,
    months_before,
    months_after,
    surveys_before,
    surveys_after,
    mean_before,
    mean_after,
    sqrt(variance_before) as sd_before,
    sqrt(variance_after) as sd_after,
    mean_after - mean_before as mean_difference,
    relative_change,
    relative_change - 1.96 * relative_change_standard_error as relative_change_low,
    relative_change + 1.96 * relative_change_standard_error as relative_change_high,
    z_score,
    p_value,
    splits_tested,
    least(1.0, p_value * splits_tested) as p_value_bonferroni,
    {{ var('finding_significance_level') }} as significance_level,
    split_rank = 1 as is_best_split,
    split_rank = 1
    and p_value * splits_tested < {{ var('finding_significance_level') }} as is_change_point

from ranked
