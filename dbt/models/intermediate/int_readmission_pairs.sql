{#- Index stays and their readmissions after the CMS Hospital-Wide All-Cause Unplanned
    Readmission measure, for each window of the var readmission_windows_days; one rule per CTE:
    - qualifying_stays: the data-quality rules (int_inpatient_stays_quality_flagged); a
      disqualified stay takes neither role;
    - next_stays: the patient's next qualifying stay, the only candidate readmission (only
      the first readmission counts: a planned next stay means no readmission, whatever
      follows);
    - discharge_requirement: discharged alive, not against medical advice, not transferred
      to another acute care hospital (seed discharge_dispositions);
    - index_stays: the discharge requirement, a qualifying stay, no cohort exclusion
      (int_inpatient_stays_cohort_excluded) and the time requirement: the whole window lies
      inside the data (the last days of data, as many as the window, supply no index stays);
    - unplanned_readmissions: the next stay begins 0 to <window> days after discharge (both
      ends included) and is unplanned (int_inpatient_stays_planned).
    A stay can be a readmission and an index stay of its own. -#}

{#- A table, not a view: the readmission models and their key tests read it several times,
    and a view would recompute it (and everything under it) each time. -#}
{{ config(materialized='table') }}

with

stays as (

    select * from {{ ref('int_inpatient_stays_chained') }}

),

planned as (

    select * from {{ ref('int_inpatient_stays_planned') }}

),

cohort as (

    select * from {{ ref('int_inpatient_stays_cohort_excluded') }}

),

quality as (

    select * from {{ ref('int_inpatient_stays_quality_flagged') }}

),

dispositions as (

    select * from {{ ref('discharge_dispositions') }}

),

data_window as (

    select max(cast(admitted_at as date)) as last_data_date
    from {{ ref('int_encounters_flagged') }}
    where not is_discharge_before_admission

),

qualifying_stays as (

    select
        stays.*,
        planned.is_planned

    from stays
    inner join quality
        on stays.stay_id = quality.stay_id
    inner join planned
        on stays.stay_id = planned.stay_id
    where not quality.is_disqualified

),

next_stays as (

    select
        stay_id,
        lead(stay_id) over patient_stays as next_stay_id,
        lead(admission_date) over patient_stays as next_admission_date,
        lead(is_planned) over patient_stays as next_is_planned,
        lead(gross_charges) over patient_stays as next_stay_gross_charges,
        lead(net_revenue) over patient_stays as next_stay_net_revenue

    from qualifying_stays
    window patient_stays as (
        partition by patient_id
        order by admitted_at, stay_id
    )

),

discharge_requirement as (

    select stays.stay_id
    from stays
    inner join dispositions
        on stays.discharge_disposition = dispositions.discharge_disposition
    where dispositions.is_index_eligible

),

measured as (

    select
        stays.stay_id,
        stays.patient_id,
        stays.admission_date,
        stays.discharge_date,
        stays.department_id,
        stays.payer_id,
        stays.admission_type,
        stays.discharge_disposition,
        stays.principal_icd10_code,
        stays.principal_ccs_category,
        planned.is_planned,
        planned.planned_rule,
        cohort.cohort_exclusion,
        quality.is_disqualified,
        discharge_requirement.stay_id is not null as meets_discharge_requirement,
        next_stays.next_stay_id,
        next_stays.next_admission_date,
        next_stays.next_is_planned,
        next_stays.next_stay_gross_charges,
        next_stays.next_stay_net_revenue,
        {{ dbt.datediff('stays.discharge_date', 'next_stays.next_admission_date', 'day') }}
            as days_to_next_admission,
        {{ dbt.datediff('stays.discharge_date', 'data_window.last_data_date', 'day') }}
            as days_of_follow_up

    from stays
    inner join planned
        on stays.stay_id = planned.stay_id
    inner join cohort
        on stays.stay_id = cohort.stay_id
    inner join quality
        on stays.stay_id = quality.stay_id
    left join next_stays
        on stays.stay_id = next_stays.stay_id
    left join discharge_requirement
        on stays.stay_id = discharge_requirement.stay_id
    cross join data_window

),

index_stays as (

    select
        stay_id,
        {% for window in var('readmission_windows_days') %}
            meets_discharge_requirement
            and not is_disqualified
            and cohort_exclusion is null
            and coalesce(days_of_follow_up >= {{ window }}, false)
                as is_index_{{ window }}d{% if not loop.last %},{% endif %}
        {% endfor %}

    from measured

),

unplanned_readmissions as (

    select
        stay_id,
        {% for window in var('readmission_windows_days') %}
            coalesce(
                days_to_next_admission between 0 and {{ window }} and not next_is_planned, false
            ) as has_unplanned_next_stay_{{ window }}d{% if not loop.last %},{% endif %}
        {% endfor %}

    from measured

)

select
    measured.*,
    {% for window in var('readmission_windows_days') %}
        index_stays.is_index_{{ window }}d,
        index_stays.is_index_{{ window }}d
        and unplanned_readmissions.has_unplanned_next_stay_{{ window }}d
            as is_readmitted_{{ window }}d{% if not loop.last %},{% endif %}
    {% endfor %}

from measured
inner join index_stays
    on measured.stay_id = index_stays.stay_id
inner join unplanned_readmissions
    on measured.stay_id = unplanned_readmissions.stay_id
