{#- Every charge line of stg_emr__charges, flagged as an orphan when its encounter is missing
    from stg_emr__encounters. -#}

with

charges as (

    select * from {{ ref('stg_emr__charges') }}

),

encounters as (

    select encounter_id from {{ ref('stg_emr__encounters') }}

)

select
    charges.*,
    encounters.encounter_id is null as is_orphan

from charges
left join encounters
    on charges.encounter_id = encounters.encounter_id
