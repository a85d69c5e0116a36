{#- One row per encounter that has a principal diagnosis: the code, its official description
    and its chronic-condition group (seed chronic_condition_groups, by ICD-10-CM category).
    Invalid codes and orphan rows are excluded by rule. -#}

{#- A table, not a view: its key tests and the fact that reads it would each recompute it. -#}
{{ config(materialized='table') }}

with

diagnoses as (

    select * from {{ ref('int_diagnoses_flagged') }}
    where is_principal
        and is_code_valid
        and not is_orphan

),

codes as (

    select * from {{ ref('stg_reference__icd10cm_codes') }}

),

condition_groups as (

    select * from {{ ref('chronic_condition_groups') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by encounter_id
            order by diagnosis_sequence, diagnosis_id
        ) as principal_rank

    from diagnoses

)

select
    ranked.encounter_id,
    ranked.diagnosis_id,
    ranked.icd10_code as principal_icd10_code,
    codes.icd10cm_description as principal_description,
    condition_groups.condition_group as principal_condition_group

from ranked
left join codes
    on ranked.icd10_code = codes.icd10cm_code
left join condition_groups
    on substring(ranked.icd10_code, 1, 3) = condition_groups.icd10_prefix
where ranked.principal_rank = 1
