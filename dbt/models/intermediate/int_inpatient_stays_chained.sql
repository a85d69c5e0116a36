{#- Inpatient encounters chained into stays: an admission that starts on the day of, or the
    day after, a discharge with disposition "transfer" continues the same stay. The chained
    stay keeps the first encounter's admission and department and the last one's discharge
    and disposition (CMS: a transfer chain is one episode; only its last discharge can index),
    and sums the charges and payments of all its encounters. -#}

with

encounters as (

    select * from {{ ref('int_encounters_flagged') }}
    where encounter_class = 'inpatient'
        and not is_discharge_before_admission

),

ordered as (

    select
        *,
        lag(discharge_disposition) over (
            partition by patient_id
            order by admitted_at, encounter_id
        ) as previous_disposition,
        lag(cast(discharged_at as date)) over (
            partition by patient_id
            order by admitted_at, encounter_id
        ) as previous_discharge_date

    from encounters

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
        sum(starts_new_stay) over (
            partition by patient_id
            order by admitted_at, encounter_id
            rows between unbounded preceding and current row
        ) as stay_number,
        row_number() over (
            partition by patient_id
            order by admitted_at, encounter_id
        ) as encounter_number

    from flagged

),

financials as (

    select * from {{ ref('int_encounter_financials_summed') }}

),

bounds as (

    select
        numbered.patient_id,
        numbered.stay_number,
        min(numbered.encounter_number) as first_encounter_number,
        max(numbered.encounter_number) as last_encounter_number,
        count(*) as encounters_in_stay,
        sum(financials.gross_charges) as gross_charges,
        sum(financials.net_revenue) as net_revenue

    from numbered
    left join financials
        on numbered.encounter_id = financials.encounter_id
    group by numbered.patient_id, numbered.stay_number

)

select
    first_encounter.encounter_id as stay_id,
    first_encounter.patient_id,
    bounds.stay_number,
    first_encounter.admitted_at,
    last_encounter.discharged_at,
    cast(first_encounter.admitted_at as date) as admission_date,
    cast(last_encounter.discharged_at as date) as discharge_date,
    first_encounter.department_id,
    first_encounter.admission_type,
    first_encounter.payer_id,
    last_encounter.encounter_id as last_encounter_id,
    last_encounter.discharge_disposition,
    bounds.encounters_in_stay,
    bounds.gross_charges,
    bounds.net_revenue,
    first_encounter.admission_type = 'elective' as is_planned

from bounds
inner join numbered as first_encounter
    on bounds.patient_id = first_encounter.patient_id
        and bounds.first_encounter_number = first_encounter.encounter_number
inner join numbered as last_encounter
    on bounds.patient_id = last_encounter.patient_id
        and bounds.last_encounter_number = last_encounter.encounter_number
