{#- Every observation of stg_emr__observations. A value outside the physiological limits of
    its LOINC code (seed vital_sign_limits) is a typing error: value is null and
    is_value_impossible true, value_as_delivered keeps what was typed. A code without limits
    is never impossible. is_orphan: the encounter is missing from stg_emr__encounters. -#}

with

observations as (

    select * from {{ ref('stg_emr__observations') }}

),

limits as (

    select * from {{ ref('vital_sign_limits') }}

),

encounters as (

    select encounter_id from {{ ref('stg_emr__encounters') }}

),

checked as (

    select
        observations.*,
        coalesce(
            observations.value_as_delivered not between limits.min_value and limits.max_value,
            false
        ) as is_value_impossible,
        encounters.encounter_id is null as is_orphan

    from observations
    left join limits
        on observations.loinc_code = limits.loinc_code
    left join encounters
        on observations.encounter_id = encounters.encounter_id

)

select
    observation_id,
    encounter_id,
    patient_id,
    loinc_code,
    observation_name,
    case when is_value_impossible then null else value_as_delivered end as value,
    value_as_delivered,
    unit,
    observed_at,
    extracted_at,
    is_value_impossible,
    is_orphan

from checked
