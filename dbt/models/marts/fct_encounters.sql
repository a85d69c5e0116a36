with

encounters as (

    select * from {{ ref('stg_emr__encounters') }}

),

patients as (

    select * from {{ ref('stg_emr__patients') }}

),

departments as (

    select * from {{ ref('stg_emr__departments') }}

),

payers as (

    select * from {{ ref('stg_emr__payers') }}

),

joined as (

    select
        encounters.encounter_id,
        encounters.patient_id,
        encounters.encounter_class,
        encounters.department_id,
        departments.department_name,
        encounters.payer_id,
        payers.payer_class,
        encounters.admitted_at,
        encounters.discharged_at,
        encounters.discharge_disposition,
        cast(encounters.admitted_at as date) as admission_date,
        {{ age_in_years('patients.birth_date', 'cast(encounters.admitted_at as date)') }}
            as age_at_admission,
        {{ dbt.datediff('cast(encounters.admitted_at as date)', 'cast(encounters.discharged_at as date)', 'day') }}
            as length_of_stay_days,
        encounters.is_orphan,
        encounters.is_discharge_before_admission

    from encounters
    left join patients
        on encounters.patient_id = patients.patient_id
    left join departments
        on encounters.department_id = departments.department_id
    left join payers
        on encounters.payer_id = payers.payer_id

)

select
    encounter_id,
    patient_id,
    encounter_class,
    department_id,
    department_name,
    payer_id,
    payer_class,
    admitted_at,
    discharged_at,
    discharge_disposition,
    admission_date,
    age_at_admission,
    case
        when age_at_admission < 18 then 'pediatric'
        when age_at_admission < 65 then 'adult'
        when age_at_admission >= 65 then 'senior'
    end as age_band,
    length_of_stay_days,
    case
        when is_discharge_before_admission then null
        else greatest(length_of_stay_days, 1)
    end as length_of_stay_days_cms,
    is_orphan,
    is_discharge_before_admission

from joined
