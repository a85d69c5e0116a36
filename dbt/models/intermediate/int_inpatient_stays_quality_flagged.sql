{#- The data-quality rules the Tuva Project's readmission mart applies before pairing stays,
    one flag per rule; a stay with any flag is disqualified and takes neither role (index or
    readmission). Rules: principal diagnosis missing, not in ICD-10-CM, or without a CCS
    category (the planned and exclusion rules cannot be read); disposition missing on a
    discharged stay, or not one the EMR defines (seed discharge_dispositions); the stay
    overlaps another stay of the same patient (a duplicate or an impossible record: both
    stays are flagged, so no negative gap can count). -#}

with

stays as (

    select * from {{ ref('int_inpatient_stays_chained') }}

),

dispositions as (

    select discharge_disposition from {{ ref('discharge_dispositions') }}

),

neighbours as (

    select
        stay_id,
        max(coalesce(discharged_at, cast('9999-12-31' as timestamp))) over (
            partition by patient_id
            order by admitted_at, stay_id
            rows between unbounded preceding and 1 preceding
        ) as latest_earlier_discharge,
        lead(admitted_at) over (
            partition by patient_id
            order by admitted_at, stay_id
        ) as next_admitted_at

    from stays

),

overlapping as (

    select stays.stay_id
    from stays
    inner join neighbours
        on stays.stay_id = neighbours.stay_id
    where stays.admitted_at < neighbours.latest_earlier_discharge
        or neighbours.next_admitted_at < coalesce(stays.discharged_at, cast('9999-12-31' as timestamp))

),

flagged as (

    select
        stays.stay_id,
        stays.principal_icd10_code is null as is_missing_principal_diagnosis,
        coalesce(not stays.is_principal_code_valid, false) as is_invalid_principal_diagnosis,
        coalesce(stays.is_principal_code_valid and stays.principal_ccs_category is null, false)
            as is_unmapped_principal_diagnosis,
        stays.discharged_at is not null and stays.discharge_disposition is null
            as is_missing_disposition,
        stays.discharge_disposition is not null and dispositions.discharge_disposition is null
            as is_invalid_disposition,
        overlapping.stay_id is not null as is_overlapping

    from stays
    left join dispositions
        on stays.discharge_disposition = dispositions.discharge_disposition
    left join overlapping
        on stays.stay_id = overlapping.stay_id

)

select
    *,
    is_missing_principal_diagnosis
    or is_invalid_principal_diagnosis
    or is_unmapped_principal_diagnosis
    or is_missing_disposition
    or is_invalid_disposition
    or is_overlapping as is_disqualified

from flagged
