with

encounters as (

    select * from {{ ref('int_encounters_aged') }}

),

financials as (

    select * from {{ ref('int_encounter_financials_summed') }}

),

principal_diagnoses as (

    select * from {{ ref('int_principal_diagnoses_classified') }}

),

departments as (

    select * from {{ ref('stg_emr__departments') }}

),

joined as (

    select
        encounters.encounter_id,
        encounters.patient_id,
        encounters.encounter_class,
        encounters.department_id,
        departments.department_name,
        encounters.provider_id,
        encounters.payer_id,
        financials.payer_class,
        financials.is_uninsured,
        encounters.admission_type,
        encounters.admission_source,
        encounters.admitted_at,
        encounters.discharged_at,
        encounters.discharge_disposition,
        encounters.mother_encounter_id,
        encounters.admitted_encounter_id,
        cast(encounters.admitted_at as date) as admission_date,
        cast({{ dbt.date_trunc('month', 'encounters.admitted_at') }} as date) as admission_month,
        encounters.age_at_admission,
        encounters.age_band,
        encounters.age_band_fine,
        encounters.sex,
        principal_diagnoses.principal_icd10_code,
        principal_diagnoses.principal_description,
        principal_diagnoses.principal_condition_group,
        {{ dbt.datediff(
            'cast(encounters.admitted_at as date)',
            'cast(encounters.discharged_at as date)',
            'day'
        ) }} as length_of_stay_days,
        financials.gross_charges,
        financials.allowed_amount,
        financials.payer_paid_amount,
        financials.patient_paid_amount,
        financials.net_revenue,
        encounters.is_orphan,
        encounters.is_discharge_before_admission,
        encounters.is_late_arriving

    from encounters
    left join financials
        on encounters.encounter_id = financials.encounter_id
    left join principal_diagnoses
        on encounters.encounter_id = principal_diagnoses.encounter_id
    left join departments
        on encounters.department_id = departments.department_id

)

select
    *,
    case
        when is_discharge_before_admission then null
        else greatest(length_of_stay_days, 1)
    end as length_of_stay_days_cms,
    not is_orphan and not is_discharge_before_admission as is_reportable

from joined
