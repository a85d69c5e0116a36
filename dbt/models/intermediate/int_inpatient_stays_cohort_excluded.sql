{#- The cohort exclusions of the CMS Hospital-Wide Readmission measure, one rule per CTE: a
    stay whose principal diagnosis is psychiatric, rehabilitation or cancer (seed
    readmission_cohort_exclusion_ccs) is not an index stay, except that a cancer diagnosis
    excludes only the medical treatment of cancer: a stay with a procedure of the
    Surgery/Gynecology cohort (seed readmission_surgical_procedure_ccs) stays in. -#}

with

stays as (

    select
        stay_id,
        principal_ccs_category

    from {{ ref('int_inpatient_stays_chained') }}

),

surgical_stays as (

    select distinct stay_procedures.stay_id
    from {{ ref('int_inpatient_stay_procedures') }} as stay_procedures
    inner join {{ ref('readmission_surgical_procedure_ccs') }} as surgical
        on stay_procedures.ccs_procedure_category = surgical.ccs_procedure_category

),

excluded_diagnosis as (

    select
        stays.stay_id,
        exclusions.exclusion

    from stays
    inner join {{ ref('readmission_cohort_exclusion_ccs') }} as exclusions
        on stays.principal_ccs_category = exclusions.ccs_diagnosis_category

),

cohort_exclusion as (

    select
        excluded_diagnosis.stay_id,
        excluded_diagnosis.exclusion

    from excluded_diagnosis
    left join surgical_stays
        on excluded_diagnosis.stay_id = surgical_stays.stay_id
    where excluded_diagnosis.exclusion <> 'cancer_treatment'
        or surgical_stays.stay_id is null

)

select
    stays.stay_id,
    surgical_stays.stay_id is not null as is_surgical,
    cohort_exclusion.exclusion as cohort_exclusion

from stays
left join surgical_stays
    on stays.stay_id = surgical_stays.stay_id
left join cohort_exclusion
    on stays.stay_id = cohort_exclusion.stay_id
