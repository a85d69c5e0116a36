{#- Payer mix: the share of encounters, and of patients (by the payer of their latest
    encounter), per payer class, with 95% Wilson score intervals. Uninsured = self_pay. -#}

with

encounters as (

    select
        payer_class,
        patient_id

    from {{ ref('fct_encounters') }}
    where is_reportable

),

patients as (

    select latest_payer_class as payer_class from {{ ref('dim_patients') }}
    where latest_payer_class is not null

),

counted as (

    select
        'encounters' as basis,
        payer_class,
        count(*) as payer_class_count

    from encounters
    group by payer_class

    union all

    select
        'patients' as basis,
        payer_class,
        count(*) as payer_class_count

    from patients
    group by payer_class

),

totals as (

    select
        basis,
        payer_class,
        payer_class_count,
        sum(payer_class_count) over (partition by basis) as basis_total

    from counted

)

select
    basis,
    payer_class,
    payer_class = 'self_pay' as is_uninsured,
    payer_class_count,
    basis_total,
    payer_class_count * 1.0 / basis_total as share,
    {{ wilson_low('payer_class_count', 'basis_total') }} as share_low,
    {{ wilson_high('payer_class_count', 'basis_total') }} as share_high

from totals
