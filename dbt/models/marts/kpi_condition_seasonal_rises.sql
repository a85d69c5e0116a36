{#- Seasonal rises of chronic-condition groups, found in the data: every window of 1 to 6
    contiguous calendar months (December to February included) is tested against the rest of
    the year for each group. Given a group's admissions N, the admissions O inside a window
    are binomial with the window's expected share p (kpi_condition_seasonality_by_month) when
    the group has no season of its own: z = (O - N p) / sqrt(N p (1 - p)) ranks the windows,
    the one-sided p-value P(X >= O) is the exact binomial tail (a small group's normal tail
    is far too small, and Bonferroni over hundreds of windows made false rises of it).
    rate_ratio = (O / p) / ((N - O) / (1 - p)), the window's admissions per expected admission
    over the rest of the year's, with a 95% interval exp(ln(ratio) +- 1.96 sqrt(1/O + 1/(N - O))).
    windows_tested counts every window of every group (the Bonferroni family); a rise is a
    group's best window (largest z) whose Bonferroni-corrected p-value is below the var
    finding_significance_level. -#}

with

months as (

    select
        condition_group,
        calendar_month,
        inpatient_admissions,
        coalesce(expected_share, 0) as expected_share,
        {{ as_bigint('sum(inpatient_admissions) over (partition by condition_group)') }} as group_admissions

    from {{ ref('kpi_condition_seasonality_by_month') }}

),

starts as (

    select cast(generated_number as integer) as start_month
    from ({{ dbt.generate_series(12) | trim }}) as numbers

),

lengths as (

    select cast(generated_number as integer) as months_in_window
    from ({{ dbt.generate_series(var('seasonal_rise_max_months')) | trim }}) as numbers

),

windows as (

    select
        months.condition_group,
        starts.start_month,
        lengths.months_in_window,
        max(months.group_admissions) as group_admissions,
        {{ as_bigint('sum(months.inpatient_admissions)') }} as window_admissions,
        sum(months.expected_share) as expected_share

    from months
    cross join starts
    cross join lengths
    where mod(months.calendar_month - starts.start_month + 12, 12) < lengths.months_in_window
    group by months.condition_group, starts.start_month, lengths.months_in_window

),

tested as (

    select
        *,
        mod(start_month + months_in_window - 2, 12) + 1 as end_month,
        group_admissions * expected_share as expected_admissions,
        (window_admissions - group_admissions * expected_share)
        / nullif(sqrt(group_admissions * expected_share * (1 - expected_share)), 0) as z_score

    from windows
    where
        group_admissions * expected_share >= {{ var('normal_approximation_min_expected') }}
        and group_admissions * (1 - expected_share) >= {{ var('normal_approximation_min_expected') }}

),

measured as (

    select
        *,
        case
            when window_admissions > 0 and window_admissions < group_admissions
                then (window_admissions / expected_share)
                    / ((group_admissions - window_admissions) / (1 - expected_share))
        end as rate_ratio,
        case
            when window_admissions > 0 and window_admissions < group_admissions
                then sqrt(1.0 / window_admissions + 1.0 / (group_admissions - window_admissions))
        end as log_ratio_standard_error,
        {{ binomial_upper_tail('window_admissions', 'group_admissions', 'expected_share') }} as p_value,
        count(*) over () as windows_tested,
        row_number() over (
            partition by condition_group
            order by z_score desc nulls last, months_in_window asc, start_month asc
        ) as window_rank

    from tested

)

select
    condition_group,
    start_month,
    end_month,
    months_in_window,
    group_admissions,
    window_admissions,
    expected_admissions,
    expected_share,
    rate_ratio,
    rate_ratio * exp(-1.96 * log_ratio_standard_error) as rate_ratio_low,
    rate_ratio * exp(1.96 * log_ratio_standard_error) as rate_ratio_high,
    z_score,
    p_value,
    windows_tested,
    least(1.0, p_value * windows_tested) as p_value_bonferroni,
    {{ var('finding_significance_level') }} as significance_level,
    window_rank = 1 as is_best_window,
    window_rank = 1
    and p_value * windows_tested < {{ var('finding_significance_level') }} as is_seasonal_rise

from measured
