{#- Whether each inpatient stay was planned, by the CMS Planned Readmission Algorithm v4.0
    (seeds planned_readmission_*, CCS level), one rule per CTE:
    1. always planned: a procedure in PR.1 (transplants), or
    2. always planned: a principal diagnosis in PR.2 (maintenance chemotherapy or
       radiotherapy, rehabilitation), or
    3. potentially planned: a procedure in PR.3 and a principal diagnosis that is not acute
       (not in PR.4).
    Everything else is unplanned. The admission type (elective, urgent...) plays no part. -#}

with

stays as (

    select
        stay_id,
        principal_ccs_category

    from {{ ref('int_inpatient_stays_chained') }}

),

procedures as (

    select * from {{ ref('int_inpatient_stay_procedures') }}

),

always_planned_procedure as (

    select distinct procedures.stay_id
    from procedures
    inner join {{ ref('planned_readmission_always_procedure_ccs') }} as planned
        on procedures.ccs_procedure_category = planned.ccs_procedure_category

),

always_planned_diagnosis as (

    select stays.stay_id
    from stays
    inner join {{ ref('planned_readmission_always_diagnosis_ccs') }} as planned
        on stays.principal_ccs_category = planned.ccs_diagnosis_category

),

potentially_planned_procedure as (

    select distinct procedures.stay_id
    from procedures
    inner join {{ ref('planned_readmission_potential_procedure_ccs') }} as potential
        on procedures.ccs_procedure_category = potential.ccs_procedure_category

),

acute_principal_diagnosis as (

    select stays.stay_id
    from stays
    inner join {{ ref('planned_readmission_acute_diagnosis_ccs') }} as acute
        on stays.principal_ccs_category = acute.ccs_diagnosis_category

)

select
    stays.stay_id,
    case
        when always_planned_procedure.stay_id is not null then 'always_planned_procedure'
        when always_planned_diagnosis.stay_id is not null then 'always_planned_diagnosis'
        when potentially_planned_procedure.stay_id is not null
            and acute_principal_diagnosis.stay_id is null
            then 'potentially_planned_procedure'
    end as planned_rule,
    always_planned_procedure.stay_id is not null
    or always_planned_diagnosis.stay_id is not null
    or (
        potentially_planned_procedure.stay_id is not null
        and acute_principal_diagnosis.stay_id is null
    ) as is_planned

from stays
left join always_planned_procedure
    on stays.stay_id = always_planned_procedure.stay_id
left join always_planned_diagnosis
    on stays.stay_id = always_planned_diagnosis.stay_id
left join potentially_planned_procedure
    on stays.stay_id = potentially_planned_procedure.stay_id
left join acute_principal_diagnosis
    on stays.stay_id = acute_principal_diagnosis.stay_id
