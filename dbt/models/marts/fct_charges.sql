{#- One row per gross charge line of a reportable encounter (orphan lines excluded by rule). -#}

with

charges as (

    select * from {{ ref('stg_emr__charges') }}
    where not is_orphan

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
    encounters.department_name,
    encounters.payer_class,
    encounters.age_band

from charges
inner join encounters
    on charges.encounter_id = encounters.encounter_id
