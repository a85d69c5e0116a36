{#- Every encounter with the patient's age at admission and its age bands. -#}

with

encounters as (

    select * from {{ ref('int_encounters_flagged') }}

),

patients as (

    select * from {{ ref('stg_emr__patients') }}

),

aged as (

    select
        encounters.*,
        patients.sex,
        {{ age_in_years('patients.birth_date', 'cast(encounters.admitted_at as date)') }}
            as age_at_admission

    from encounters
    left join patients
        on encounters.patient_id = patients.patient_id

)

select
    aged.*,
    {{ age_band('age_at_admission') }} as age_band,
    {{ age_band_fine('age_at_admission') }} as age_band_fine

from aged
