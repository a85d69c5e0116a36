{#- Every procedure of stg_emr__procedures, flagged as an orphan when its encounter is
    missing from stg_emr__encounters. -#}

with

procedures as (

    select * from {{ ref('stg_emr__procedures') }}

),

encounters as (

    select encounter_id from {{ ref('stg_emr__encounters') }}

)

select
    procedures.*,
    encounters.encounter_id is null as is_orphan

from procedures
left join encounters
    on procedures.encounter_id = encounters.encounter_id
