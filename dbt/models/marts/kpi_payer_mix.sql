{#- Payer mix: the share of encounters, and of patients (by the payer of their latest
    encounter), per payer class, with 95% intervals. Uninsured = self_pay.
    Patients: one payer each, a binomial share with its Wilson score interval.
    Encounters: a patient's encounters mostly share one payer, so they are not independent;
    the share is a ratio estimator over patients (clusters) and its interval is the Wald
    interval of the cluster-robust variance (macro clustered_share_standard_error). -#}

with

encounters as (

    select
        payer_class,
        patient_id

    from {{ ref('fct_encounters') }}
    where is_reportable

),

patient_encounters as (

    select
        patient_id,
        count(*) as encounters

    from encounters
    group by patient_id

),

patient_class_encounters as (

    select
        encounters.patient_id,
        encounters.payer_class,
        count(*) as class_encounters

    from encounters
    group by encounters.patient_id, encounters.payer_class

),

encounter_clusters as (

    select
        count(*) as patients,
        {{ as_bigint('sum(encounters)') }} as all_encounters,
        sum(encounters * encounters) as sum_encounters_squared

    from patient_encounters

),

encounter_classes as (

    select
        patient_class_encounters.payer_class,
        {{ as_bigint('sum(patient_class_encounters.class_encounters)') }} as payer_class_count,
        sum(patient_class_encounters.class_encounters * patient_class_encounters.class_encounters)
            as sum_class_squared,
        sum(patient_class_encounters.class_encounters * patient_encounters.encounters)
            as sum_class_times_encounters

    from patient_class_encounters
    inner join patient_encounters
        on patient_class_encounters.patient_id = patient_encounters.patient_id
    group by patient_class_encounters.payer_class

),

by_encounters as (

    select
        'encounters' as basis,
        encounter_classes.payer_class,
        encounter_classes.payer_class_count,
        encounter_clusters.all_encounters as basis_total,
        encounter_classes.payer_class_count * 1.0 / encounter_clusters.all_encounters as share,
        {{ clustered_share_standard_error(
            'encounter_clusters.patients',
            'encounter_classes.payer_class_count',
            'encounter_clusters.all_encounters',
            'encounter_classes.sum_class_squared',
            'encounter_classes.sum_class_times_encounters',
            'encounter_clusters.sum_encounters_squared'
        ) }} as share_standard_error

    from encounter_classes
    cross join encounter_clusters

),

patient_classes as (

    select
        latest_payer_class as payer_class,
        count(*) as payer_class_count

    from {{ ref('dim_patients') }}
    where latest_payer_class is not null
    group by latest_payer_class

),

by_patients as (

    select
        'patients' as basis,
        payer_class,
        payer_class_count,
        {{ as_bigint('sum(payer_class_count) over ()') }} as basis_total

    from patient_classes

)

select
    basis,
    payer_class,
    payer_class = 'self_pay' as is_uninsured,
    payer_class_count,
    basis_total,
    share,
    -- no interval without a standard error (a single patient): null, not 0 and 1
    case when share_standard_error is not null then greatest(share - 1.96 * share_standard_error, 0) end
        as share_low,
    case when share_standard_error is not null then least(share + 1.96 * share_standard_error, 1) end
        as share_high

from by_encounters

union all

select
    basis,
    payer_class,
    payer_class = 'self_pay' as is_uninsured,
    payer_class_count,
    basis_total,
    payer_class_count * 1.0 / basis_total as share,
    {{ wilson_low('payer_class_count', 'basis_total') }} as share_low,
    {{ wilson_high('payer_class_count', 'basis_total') }} as share_high

from by_patients
