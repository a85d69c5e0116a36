{#- The realism scorecard: every measure of the seed realism_references, measured from the
    marts and put beside its public reference range. A measure outside its range departs from
    a US community hospital, unless the extract's manifest lists it among the departures its
    scenario plants on purpose: then it is marked planted. A departure is claimed only when the
    data supports it: a measure outside its range whose 95% interval still reaches into the
    range is uncertain (a small extract can land there by chance). Rates carry their numerator,
    denominator and a 95% Wilson interval; ratios of counts a Poisson interval; means a normal
    one. How each measure is taken, and how it departs from its source's definition: the
    seed's definition_notes. -#}

with

reference_figures as (

    select * from {{ ref('realism_references') }}

),

planted as (

    select
        departure.measure_id,
        departure.reason

    from (
        select {{ unnest_list('planted_departures') }} as departure
        from {{ ref('stg_emr__extract_manifest') }}
    ) as departures

),

encounters as (

    select * from {{ ref('fct_encounters') }}
    where is_reportable

),

stays as (

    select * from encounters
    where encounter_class = 'inpatient'

),

discharged_stays as (

    select * from stays
    where discharged_at is not null

),

ed_visits as (

    select * from encounters
    where encounter_class = 'emergency'

),

-- As the National Hospital Discharge Survey: no newborns, a same-day stay counts one day.
survey_stays as (

    select length_of_stay_days_cms as stay_days
    from discharged_stays
    where admission_type <> 'newborn'

),

adult_surveys as (

    select surveys.is_rating_top_box

    from {{ ref('fct_satisfaction_surveys') }} as surveys
    inner join encounters
        on surveys.encounter_id = encounters.encounter_id
    where encounters.age_at_admission >= 18

),

-- As HCUP: patients one year or older.
index_stays as (

    select * from {{ ref('fct_readmissions') }}
    where is_index_30d
        and age_at_admission >= 1

),

stays_by_quarter as (

    select
        {{ date_part_int('quarter', 'admission_date') }} as calendar_quarter,
        count(*) as stays

    from stays
    group by {{ date_part_int('quarter', 'admission_date') }}

),

days_by_quarter as (

    select
        calendar_quarter,
        count(*) as days_in_data

    from {{ ref('dim_date') }}
    group by calendar_quarter

),

ranked_quarters as (

    select
        stays_by_quarter.stays,
        days_by_quarter.days_in_data,
        row_number() over (
            order by stays_by_quarter.stays * 1.0 / days_by_quarter.days_in_data desc
        ) as busiest_rank,
        row_number() over (
            order by stays_by_quarter.stays * 1.0 / days_by_quarter.days_in_data
        ) as quietest_rank

    from stays_by_quarter
    inner join days_by_quarter
        on stays_by_quarter.calendar_quarter = days_by_quarter.calendar_quarter

),

busiest_quarter as (

    select * from ranked_quarters
    where busiest_rank = 1

),

quietest_quarter as (

    select * from ranked_quarters
    where quietest_rank = 1

),

ed_visit_count as (

    select nullif(count(*), 0) as ed_visits
    from ed_visits

),

stay_count as (

    select nullif(count(*), 0) as stays
    from stays

),

proportions as (

    select
        'share_of_stays_3_days_or_less' as measure_id,
        count(case when stay_days <= 3 then 1 end) as successes,
        count(*) as trials
    from survey_stays

    union all

    select
        'share_of_stays_8_days_or_more' as measure_id,
        count(case when stay_days >= 8 then 1 end) as successes,
        count(*) as trials
    from survey_stays

    union all

    select
        'ed_admission_rate' as measure_id,
        count(case when discharge_disposition = 'admitted_inpatient' then 1 end) as successes,
        count(discharge_disposition) as trials
    from ed_visits

    union all

    select
        'share_of_stays_admitted_through_ed' as measure_id,
        count(case when admission_source = 'emergency_department' then 1 end) as successes,
        count(*) as trials
    from stays

    union all

    select
        'hcahps_top_box_share' as measure_id,
        count(case when is_rating_top_box then 1 end) as successes,
        count(*) as trials
    from adult_surveys

    union all

    select
        'readmission_rate_30d_all' as measure_id,
        count(case when is_readmitted_30d then 1 end) as successes,
        count(*) as trials
    from index_stays

    union all

    select
        'readmission_rate_30d_private' as measure_id,
        count(case when is_readmitted_30d then 1 end) as successes,
        count(*) as trials
    from index_stays
    where payer_class = 'private'

    union all

    select
        'readmission_rate_30d_medicare' as measure_id,
        count(case when is_readmitted_30d then 1 end) as successes,
        count(*) as trials
    from index_stays
    where payer_class = 'medicare'

    union all

    select
        'pediatric_share_of_stays' as measure_id,
        count(case when age_band = 'pediatric' then 1 end) as successes,
        count(age_band) as trials
    from stays

    union all

    select
        'female_share_of_stays' as measure_id,
        count(case when sex = 'F' then 1 end) as successes,
        count(sex) as trials
    from stays

    union all

    select
        'in_hospital_mortality' as measure_id,
        count(case when discharge_disposition = 'expired' then 1 end) as successes,
        count(*) as trials
    from discharged_stays

    union all

    select
        'uninsured_share_of_patients' as measure_id,
        sum(case when is_uninsured then payer_class_count else 0 end) as successes,
        sum(payer_class_count) as trials
    from {{ ref('kpi_payer_mix') }}
    where basis = 'patients'

    union all

    select
        'readmission_rate_30d_adults_e11_9' as measure_id,
        coalesce(sum(readmissions_30d), 0) as successes,
        coalesce(sum(index_stays_30d), 0) as trials
    from {{ ref('kpi_readmissions_by_diagnosis') }}
    where principal_icd10_code = 'E11.9'
        and age_band in ('adult', 'senior')

),

rates as (

    select
        measure_id,
        cast(successes as {{ dbt.type_numeric() }}) as numerator,
        cast(trials as {{ dbt.type_numeric() }}) as denominator,
        successes * 1.0 / nullif(trials, 0) as measured_value,
        {{ wilson_bound('successes', 'nullif(trials, 0)', 'low') }} as interval_low,
        {{ wilson_bound('successes', 'nullif(trials, 0)', 'high') }} as interval_high

    from proportions

),

other_measures as (

    select
        'mean_length_of_stay_days' as measure_id,
        cast(sum(length_of_stay_days) as {{ dbt.type_numeric() }}) as numerator,
        cast(count(length_of_stay_days) as {{ dbt.type_numeric() }}) as denominator,
        avg(length_of_stay_days * 1.0) as measured_value,
        {{ mean_bound('length_of_stay_days', 'low') }} as interval_low,
        {{ mean_bound('length_of_stay_days', 'high') }} as interval_high
    from discharged_stays

    union all

    select
        'mean_minus_median_length_of_stay_days' as measure_id,
        cast(null as {{ dbt.type_numeric() }}) as numerator,
        cast(count(stay_days) as {{ dbt.type_numeric() }}) as denominator,
        avg(stay_days * 1.0) - median(stay_days) as measured_value,
        cast(null as {{ dbt.type_numeric() }}) as interval_low,
        cast(null as {{ dbt.type_numeric() }}) as interval_high
    from survey_stays

    union all

    select
        'ed_visits_per_inpatient_stay' as measure_id,
        cast(ed_visit_count.ed_visits as {{ dbt.type_numeric() }}) as numerator,
        cast(stay_count.stays as {{ dbt.type_numeric() }}) as denominator,
        ed_visit_count.ed_visits * 1.0 / stay_count.stays as measured_value,
        {{ rate_ratio_bound('ed_visit_count.ed_visits', 1, 'stay_count.stays', 1, 'low') }} as interval_low,
        {{ rate_ratio_bound('ed_visit_count.ed_visits', 1, 'stay_count.stays', 1, 'high') }} as interval_high
    from ed_visit_count
    cross join stay_count

    union all

    select
        'quarterly_seasonality_of_stays' as measure_id,
        cast(busiest_quarter.stays as {{ dbt.type_numeric() }}) as numerator,
        cast(quietest_quarter.stays as {{ dbt.type_numeric() }}) as denominator,
        (busiest_quarter.stays * 1.0 / busiest_quarter.days_in_data)
        / (quietest_quarter.stays * 1.0 / quietest_quarter.days_in_data) - 1 as measured_value,
        {{ rate_ratio_bound(
            'busiest_quarter.stays', 'busiest_quarter.days_in_data',
            'quietest_quarter.stays', 'quietest_quarter.days_in_data', 'low'
        ) }} - 1 as interval_low,
        {{ rate_ratio_bound(
            'busiest_quarter.stays', 'busiest_quarter.days_in_data',
            'quietest_quarter.stays', 'quietest_quarter.days_in_data', 'high'
        ) }} - 1 as interval_high
    from busiest_quarter
    cross join quietest_quarter

),

measured as (

    select * from rates
    union all
    select * from other_measures

),

scored as (

    select
        reference_figures.measure_id,
        reference_figures.measure,
        reference_figures.unit,
        measured.numerator,
        measured.denominator,
        measured.measured_value,
        measured.interval_low,
        measured.interval_high,
        reference_figures.reference_value,
        reference_figures.reference_low,
        reference_figures.reference_high,
        planted.measure_id is not null as is_planted,
        planted.reason as planted_reason,
        measured.interval_low <= reference_figures.reference_high
        and measured.interval_high >= reference_figures.reference_low as is_interval_overlapping_reference,
        case
            when measured.measured_value is null then 'not_measured'
            when
                measured.measured_value between reference_figures.reference_low
                and reference_figures.reference_high
                then 'inside'
            when planted.measure_id is not null then 'planted'
            when
                measured.interval_low <= reference_figures.reference_high
                and measured.interval_high >= reference_figures.reference_low
                then 'uncertain'
            else 'outside'
        end as status,
        reference_figures.source,
        reference_figures.range_rule,
        reference_figures.definition_notes

    from reference_figures
    left join measured
        on reference_figures.measure_id = measured.measure_id
    left join planted
        on reference_figures.measure_id = planted.measure_id

)

select
    *,
    case
        when status = 'outside'
            then {{ dbt.concat([
                'measure_id', "': measured '", 'cast(round(measured_value, 3) as ' ~ dbt.type_string() ~ ')',
                "', reference '", 'cast(reference_low as ' ~ dbt.type_string() ~ ')', "' to '",
                'cast(reference_high as ' ~ dbt.type_string() ~ ')',
            ]) }}
    end as departure

from scored
