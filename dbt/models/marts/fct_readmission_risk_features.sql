{#- One row per inpatient stay that can be an index stay (CMS HWR: discharged alive, not
    against medical advice nor transferred, not disqualified, no cohort exclusion), with only
    what is known at its discharge: the LACE index (van Walraven et al., CMAJ 2010) and its
    parts, Charlson and Elixhauser comorbidities of the stay's diagnoses, prior utilisation
    (ED visits in the 182 days and inpatient stays in the 365 days before admission; the ED
    visit that led to the stay is not a prior one), demographics and payer. The outcome
    columns (is_index_30d: 30 days of follow-up in the data; is_readmitted_30d) come from
    fct_readmissions and are never features. Recent discharges without 30 days of follow-up
    are kept: they are the stays a follow-up list scores. -#}

with

readmissions as (

    select * from {{ ref('fct_readmissions') }}
    where meets_discharge_requirement
        and not is_disqualified
        and cohort_exclusion is null

),

stays as (

    select
        stay_id,
        admitted_at,
        discharged_at
    from {{ ref('int_inpatient_stays_chained') }}

),

comorbidities as (

    select * from {{ ref('int_inpatient_stay_comorbidities') }}

),

patients as (

    select
        patient_id,
        sex
    from {{ ref('dim_patients') }}

),

emergency_visits as (

    select
        patient_id,
        admitted_at,
        admitted_encounter_id
    from {{ ref('int_encounters_flagged') }}
    where encounter_class = 'emergency'
        and not is_orphan

),

prior_emergency as (

    select
        stays.stay_id,
        count(*) as prior_emergency_visits_6m

    from readmissions
    inner join stays
        on readmissions.stay_id = stays.stay_id
    inner join emergency_visits
        on readmissions.patient_id = emergency_visits.patient_id
            and emergency_visits.admitted_at >= {{ dbt.dateadd('day', -182, 'stays.admitted_at') }}
            and stays.admitted_at > emergency_visits.admitted_at
            and coalesce(stays.stay_id <> emergency_visits.admitted_encounter_id, true)
    group by stays.stay_id

),

all_stays as (

    select
        stay_id,
        patient_id,
        admitted_at
    from {{ ref('int_inpatient_stays_chained') }}

),

prior_admissions as (

    select
        stays.stay_id,
        count(*) as prior_admissions_12m

    from readmissions
    inner join stays
        on readmissions.stay_id = stays.stay_id
    inner join all_stays as earlier
        on readmissions.patient_id = earlier.patient_id
            and earlier.admitted_at >= {{ dbt.dateadd('day', -365, 'stays.admitted_at') }}
            and stays.admitted_at > earlier.admitted_at
    group by stays.stay_id

),

features as (

    select
        readmissions.stay_id,
        readmissions.patient_id,
        stays.admitted_at,
        stays.discharged_at,
        readmissions.discharge_date,
        readmissions.department_name,
        readmissions.age_at_admission,
        patients.sex,
        readmissions.payer_class,
        readmissions.admission_type,
        readmissions.discharge_disposition,
        readmissions.principal_icd10_code,
        readmissions.principal_ccs_category,
        {{ dbt.datediff('readmissions.admission_date', 'readmissions.discharge_date', 'day') }}
            as length_of_stay_days,
        readmissions.admission_type in ('emergency', 'urgent') as is_acute_admission,
        coalesce(comorbidities.charlson_score_1987, 0) as charlson_score_1987,
        coalesce(comorbidities.charlson_score_quan2011, 0) as charlson_score_quan2011,
        coalesce(comorbidities.charlson_categories, 0) as charlson_categories,
        coalesce(comorbidities.elixhauser_readmission_index, 0) as elixhauser_readmission_index,
        coalesce(comorbidities.elixhauser_measures, 0) as elixhauser_measures,
        coalesce(prior_emergency.prior_emergency_visits_6m, 0) as prior_emergency_visits_6m,
        coalesce(prior_admissions.prior_admissions_12m, 0) as prior_admissions_12m,
        readmissions.is_index_30d,
        readmissions.is_readmitted_30d

    from readmissions
    inner join stays
        on readmissions.stay_id = stays.stay_id
    left join patients
        on readmissions.patient_id = patients.patient_id
    left join comorbidities
        on readmissions.stay_id = comorbidities.stay_id
    left join prior_emergency
        on readmissions.stay_id = prior_emergency.stay_id
    left join prior_admissions
        on readmissions.stay_id = prior_admissions.stay_id

),

lace as (

    -- LACE points (van Walraven et al. 2010, table 2): L by whole days in hospital, A for an
    -- acute (emergency or urgent) admission, C by the Charlson score (1987 weights), E by ED
    -- visits in the previous 6 months, at most 4
    select
        *,
        case
            when length_of_stay_days < 1 then 0
            when length_of_stay_days <= 3 then length_of_stay_days
            when length_of_stay_days <= 6 then 4
            when length_of_stay_days <= 13 then 5
            else 7
        end as lace_length_points,
        case when is_acute_admission then 3 else 0 end as lace_acuity_points,
        case when charlson_score_1987 >= 4 then 5 else charlson_score_1987 end
            as lace_comorbidity_points,
        case when prior_emergency_visits_6m >= 4 then 4 else prior_emergency_visits_6m end
            as lace_emergency_points

    from features

)

select
    *,
    lace_length_points + lace_acuity_points + lace_comorbidity_points + lace_emergency_points
        as lace_score

from lace
