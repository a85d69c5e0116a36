{#- Every encounter of stg_emr__encounters, flagged as an orphan when its patient is missing
    from stg_emr__patients. Flags over drops: orphans are kept; marts exclude them by rule. -#}

with

encounters as (

    select * from {{ ref('stg_emr__encounters') }}

),

patients as (

    select patient_id from {{ ref('stg_emr__patients') }}

)

select
    encounters.*,
    patients.patient_id is null as is_orphan

from encounters
left join patients
    on encounters.patient_id = patients.patient_id
