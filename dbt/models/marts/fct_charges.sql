{#- One row per gross charge line of a reportable encounter (orphan lines excluded by rule).
    Incremental: charge lines never change once posted, so each run adds the lines posted
    since the last one (delete+insert on charge_id keeps a rerun free of duplicates). -#}

{{
    config(
        materialized='incremental',
        unique_key='charge_id',
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        pre_hook="{{ delete_rows_of_another_history() }}",
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

),

manifest as (

    select history_fingerprint from {{ ref('stg_emr__extract_manifest') }}

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
    encounters.age_band,
    manifest.history_fingerprint

from charges
inner join encounters
    on charges.encounter_id = encounters.encounter_id
cross join manifest
