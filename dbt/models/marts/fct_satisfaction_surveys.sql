{#- One row per returned survey, HCAHPS-style: the overall rating and its top box (9 or 10),
    would-recommend top box ("definitely yes"), for the department and month of discharge.
    Incremental: a survey never changes once received, so each run adds the newly received. -#}

{{
    config(
        materialized='incremental',
        unique_key='survey_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
    )
}}

with

surveys as (

    select * from {{ ref('stg_emr__surveys') }}
    where {{ newer_than_loaded('received_at') }}

),

encounters as (

    select * from {{ ref('fct_encounters') }}

)

select
    surveys.survey_id,
    surveys.encounter_id,
    surveys.patient_id,
    encounters.department_id,
    encounters.department_name,
    cast(encounters.discharged_at as date) as discharge_date,
    cast({{ dbt.date_trunc('month', 'encounters.discharged_at') }} as date) as discharge_month,
    surveys.received_at,
    surveys.overall_rating,
    surveys.overall_rating >= 9 as is_rating_top_box,
    surveys.would_recommend,
    surveys.would_recommend = 'definitely_yes' as is_recommend_top_box,
    surveys.nurse_communication,
    surveys.doctor_communication

from surveys
inner join encounters
    on surveys.encounter_id = encounters.encounter_id
