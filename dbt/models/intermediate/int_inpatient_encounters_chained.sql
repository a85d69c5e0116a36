{#- Inpatient encounters, each with the stay it belongs to: an admission that starts on the day
    of, or the day after, a discharge with disposition "transfer" continues the same stay (CMS:
    a transfer chain is one episode). Encounters with inverted dates are left out (flagged in
    int_encounters_flagged). -#}

{#- A table, not a view: the readmission models and their key tests read it several times,
    and a view would recompute it (and everything under it) each time. -#}
{{ config(materialized='table') }}

with

encounters as (

    select * from {{ ref('int_encounters_flagged') }}
    where encounter_class = 'inpatient'
        and not is_discharge_before_admission

),

ordered as (

    select
        *,
        lag(discharge_disposition) over patient_encounters as previous_disposition,
        lag(cast(discharged_at as date)) over patient_encounters as previous_discharge_date

    from encounters
    window patient_encounters as (
        partition by patient_id
        order by admitted_at, encounter_id
    )

),

flagged as (

    select
        *,
        case
            when previous_disposition = 'transfer'
                and cast(admitted_at as date) <= {{ dbt.dateadd('day', 1, 'previous_discharge_date') }}
                then 0
            else 1
        end as starts_new_stay

    from ordered

),

numbered as (

    select
        *,
        {{ as_bigint(
            'sum(starts_new_stay) over (
                partition by patient_id
                order by admitted_at, encounter_id
                rows between unbounded preceding and current row
            )'
        ) }} as stay_number,
        row_number() over (
            partition by patient_id
            order by admitted_at, encounter_id
        ) as encounter_number

    from flagged

)

select
    encounter_id,
    patient_id,
    first_value(encounter_id) over (
        partition by patient_id, stay_number
        order by encounter_number
    ) as stay_id,
    stay_number,
    encounter_number,
    admitted_at,
    discharged_at,
    department_id,
    admission_type,
    payer_id,
    discharge_disposition

from numbered
