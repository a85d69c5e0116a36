{#- Index stays and their readmissions, after the CMS hospital-wide readmission measure, for
    each window of the var readmission_windows_days (days after discharge): an index stay is
    an inpatient stay discharged alive, not against medical advice and not transferred out,
    with the whole window inside the data (the last days of data, as many as the window,
    supply no index stays). The outcome is the next inpatient stay of the same patient
    (chained transfers count once); it counts when it begins within the window (on the last
    day included) and is unplanned. Only the first readmission counts: if the next stay is
    planned, the index stay is not readmitted, whatever follows. -#}

with

stays as (

    select * from {{ ref('int_inpatient_stays_chained') }}

),

data_window as (

    select max(cast(admitted_at as date)) as last_data_date
    from {{ ref('int_encounters_flagged') }}
    where not is_discharge_before_admission

),

with_next as (

    select
        *,
        lead(stay_id) over patient_stays as next_stay_id,
        lead(admission_date) over patient_stays as next_admission_date,
        lead(is_planned) over patient_stays as next_is_planned,
        lead(gross_charges) over patient_stays as next_stay_gross_charges,
        lead(net_revenue) over patient_stays as next_stay_net_revenue

    from stays
    window patient_stays as (
        partition by patient_id
        order by stay_number
    )

),

measured as (

    select
        with_next.*,
        {{ dbt.datediff('with_next.discharge_date', 'with_next.next_admission_date', 'day') }}
            as days_to_next_admission,
        with_next.discharge_disposition not in ('expired', 'against_medical_advice', 'transfer')
            as is_eligible_discharge,
        {{ dbt.datediff('with_next.discharge_date', 'data_window.last_data_date', 'day') }}
            as days_of_follow_up

    from with_next
    cross join data_window

)

select
    stay_id,
    patient_id,
    admission_date,
    discharge_date,
    department_id,
    payer_id,
    discharge_disposition,
    is_planned,
    next_stay_id,
    next_admission_date,
    days_to_next_admission,
    next_is_planned,
    next_stay_gross_charges,
    next_stay_net_revenue,
    {% for window in var('readmission_windows_days') %}
        is_eligible_discharge and days_of_follow_up >= {{ window }} as is_index_{{ window }}d,
        is_eligible_discharge
        and days_of_follow_up >= {{ window }}
        and coalesce(days_to_next_admission <= {{ window }} and not next_is_planned, false)
            as is_readmitted_{{ window }}d{% if not loop.last %},{% endif %}
    {% endfor %}

from measured
