{#- One row per patient: demographics, and the payer class of the latest encounter. -#}

with

patients as (

    select * from {{ ref('stg_emr__patients') }}

),

latest_encounters as (

    select
        patient_id,
        payer_class,
        row_number() over (
            partition by patient_id
            order by admitted_at desc, encounter_id desc
        ) as recency_rank

    from {{ ref('fct_encounters') }}
    where is_reportable

),

encounter_counts as (

    select
        patient_id,
        count(*) as encounter_count,
        min(admission_date) as first_admission_date

    from {{ ref('fct_encounters') }}
    where is_reportable
    group by patient_id

)

select
    patients.patient_id,
    patients.first_name,
    patients.last_name,
    patients.birth_date,
    patients.sex,
    patients.race,
    patients.ethnicity,
    patients.state,
    patients.zip_code,
    patients.death_date,
    latest_encounters.payer_class as latest_payer_class,
    coalesce(encounter_counts.encounter_count, 0) as encounter_count,
    encounter_counts.first_admission_date

from patients
left join latest_encounters
    on patients.patient_id = latest_encounters.patient_id
        and latest_encounters.recency_rank = 1
left join encounter_counts
    on patients.patient_id = encounter_counts.patient_id
