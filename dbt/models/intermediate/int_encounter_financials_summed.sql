{#- One row per encounter: gross charges summed from the charge lines (orphan lines left
    out), and the remittance: allowed, paid by the payer, paid by the patient. Net revenue
    is what was actually paid (payer + patient). -#}

{#- A table, not a view: its key tests and the fact that reads it would each recompute it. -#}
{{ config(materialized='table') }}

with

encounters as (

    select
        encounter_id,
        payer_id

    from {{ ref('int_encounters_flagged') }}

),

charges as (

    select
        encounter_id,
        sum(gross_charge_amount) as gross_charges,
        count(*) as charge_lines

    from {{ ref('int_charges_flagged') }}
    where not is_orphan
    group by encounter_id

),

payments as (

    select
        encounter_id,
        sum(allowed_amount) as allowed_amount,
        sum(payer_paid_amount) as payer_paid_amount,
        sum(patient_responsibility_amount) as patient_responsibility_amount,
        sum(patient_paid_amount) as patient_paid_amount

    from {{ ref('stg_emr__payments') }}
    group by encounter_id

),

payers as (

    select * from {{ ref('stg_emr__payers') }}

)

select
    encounters.encounter_id,
    encounters.payer_id,
    payers.payer_class,
    payers.is_uninsured,
    coalesce(charges.charge_lines, 0) as charge_lines,
    coalesce(charges.gross_charges, 0) as gross_charges,
    coalesce(payments.allowed_amount, 0) as allowed_amount,
    coalesce(payments.payer_paid_amount, 0) as payer_paid_amount,
    coalesce(payments.patient_responsibility_amount, 0) as patient_responsibility_amount,
    coalesce(payments.patient_paid_amount, 0) as patient_paid_amount,
    coalesce(payments.payer_paid_amount, 0) + coalesce(payments.patient_paid_amount, 0)
        as net_revenue

from encounters
left join charges
    on encounters.encounter_id = charges.encounter_id
left join payments
    on encounters.encounter_id = payments.encounter_id
left join payers
    on encounters.payer_id = payers.payer_id
