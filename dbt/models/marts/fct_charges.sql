{#- One row per gross charge line of an encounter (orphan lines excluded by rule).
    Incremental: charge lines never change once posted, so each run adds the lines posted
    since the last one (delete+insert on charge_id keeps a rerun free of duplicates). -#}

{{
    config(
        materialized='incremental',
        unique_key='charge_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
    )
}}

with

charges as (

    select * from {{ ref('int_charges_flagged') }}
    where not is_orphan
        and {{ newer_than_loaded('posted_at') }}

),

encounters as (

    select * from {{ ref('fct_encounters') }}

)

select
    charges.charge_id,
    charges.encounter_id,
    charges.patient_id,
    charges.line_number,
    charges.charge_code,
    charges.code_system,
    charges.charge_label,
    charges.service_date,
    charges.units,
    charges.gross_charge_amount,
    charges.posted_at,
    encounters.department_name,
    encounters.payer_class,
    encounters.age_band

from charges
inner join encounters
    on charges.encounter_id = encounters.encounter_id
