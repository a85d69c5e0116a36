{#- One row per inpatient stay with a coded comorbidity: Charlson (Quan 2005 codes) and AHRQ
    Elixhauser Refined v2026.1 categories of the diagnoses of all the stay's encounters, after
    each system's hierarchy, with their scores. Every diagnosis of the stay counts (principal
    too): what is coded by discharge. AHRQ's measures marked present-on-admission count only
    diagnoses present on admission (POA Y or W); CMR_CBVD is CBVD_POA or CBVD_SQLA. Deviations
    from AHRQ's program: its POA-exempt code list is not applied (such a code counts only with
    POA Y or W) and the principal diagnosis is not left out. -#}

{#- A table, not a view: its key tests and the fact that reads it would each recompute it. -#}
{{ config(materialized='table') }}

with

stay_encounters as (

    select
        encounter_id,
        stay_id
    from {{ ref('int_inpatient_encounters_chained') }}

),

diagnoses as (

    select
        encounter_id,
        icd10_code,
        present_on_admission
    from {{ ref('int_diagnoses_flagged') }}
    where not is_orphan

),

comorbidities as (

    select * from {{ ref('stg_reference__icd10cm_comorbidities') }}

),

coded as (

    select
        stay_encounters.stay_id,
        comorbidities.comorbidity_system,
        case
            when comorbidities.comorbidity_category in ('CBVD_POA', 'CBVD_SQLA') then 'CBVD'
            else comorbidities.comorbidity_category
        end as comorbidity_category,
        comorbidities.comorbidity_weight,
        comorbidities.comorbidity_weight_alt

    from stay_encounters
    inner join diagnoses
        on stay_encounters.encounter_id = diagnoses.encounter_id
    inner join comorbidities
        on diagnoses.icd10_code = comorbidities.icd10cm_code
    where not comorbidities.requires_present_on_admission
        or diagnoses.present_on_admission in ('Y', 'W')

),

categories as (

    select
        stay_id,
        comorbidity_system,
        comorbidity_category,
        max(comorbidity_weight) as comorbidity_weight,
        max(comorbidity_weight_alt) as comorbidity_weight_alt

    from coded
    group by stay_id, comorbidity_system, comorbidity_category

),

outranked as (

    -- a category its stay also has the outranking category of (Charlson: Quan 2005 /
    -- Charlson 1987 scoring; AHRQ: CMR_Mapping_Program v2026.1)
    select
        lower_category.stay_id,
        lower_category.comorbidity_system,
        lower_category.comorbidity_category

    from categories as lower_category
    inner join {{ ref('comorbidity_hierarchy') }} as hierarchy
        on lower_category.comorbidity_system = hierarchy.comorbidity_system
            and lower_category.comorbidity_category = hierarchy.outranked_category
    inner join categories as higher_category
        on lower_category.stay_id = higher_category.stay_id
            and lower_category.comorbidity_system = higher_category.comorbidity_system
            and hierarchy.outranking_category = higher_category.comorbidity_category

),

kept as (

    select categories.*
    from categories
    left join outranked
        on categories.stay_id = outranked.stay_id
            and categories.comorbidity_system = outranked.comorbidity_system
            and categories.comorbidity_category = outranked.comorbidity_category
    where outranked.stay_id is null

)

select
    stay_id,
    {{ as_bigint(
        "sum(case when comorbidity_system = 'charlson_quan2005' then comorbidity_weight_alt else 0 end)"
    ) }} as charlson_score_1987,
    {{ as_bigint(
        "sum(case when comorbidity_system = 'charlson_quan2005' then comorbidity_weight else 0 end)"
    ) }} as charlson_score_quan2011,
    {{ count_where("comorbidity_system = 'charlson_quan2005'") }} as charlson_categories,
    {{ as_bigint(
        "sum(case when comorbidity_system = 'elixhauser_ahrq_v2026_1' then comorbidity_weight else 0 end)"
    ) }} as elixhauser_readmission_index,
    {{ count_where("comorbidity_system = 'elixhauser_ahrq_v2026_1'") }} as elixhauser_measures

from kept
group by stay_id
