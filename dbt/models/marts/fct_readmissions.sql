{#- One row per inpatient stay, with its index eligibility and readmission outcome for each
    window of the var readmission_windows_days (CMS Hospital-Wide Readmission measure and
    Planned Readmission Algorithm v4.0, see int_readmission_pairs), described by the principal
    diagnosis, department and age band of its first encounter, and why a stay is not an index
    stay or not a readmission (planned rule, cohort exclusion, data quality). The cost of the
    readmission is kept when the stay counts as readmitted in any window. -#}

{%- set readmitted_in_any_window -%}
    {%- for window in var('readmission_windows_days') -%}
        pairs.is_readmitted_{{ window }}d{{ ' or ' if not loop.last }}
    {%- endfor -%}
{%- endset %}

with

pairs as (

    select * from {{ ref('int_readmission_pairs') }}

),

encounters as (

    select * from {{ ref('fct_encounters') }}

)

select
    pairs.stay_id,
    pairs.patient_id,
    pairs.admission_date,
    pairs.discharge_date,
    cast({{ dbt.date_trunc('month', 'pairs.discharge_date') }} as date) as discharge_month,
    encounters.department_id,
    encounters.department_name,
    encounters.age_at_admission,
    encounters.age_band,
    encounters.payer_class,
    encounters.principal_icd10_code,
    encounters.principal_description,
    encounters.principal_condition_group,
    pairs.admission_type,
    pairs.discharge_disposition,
    pairs.principal_ccs_category,
    pairs.is_planned,
    pairs.planned_rule,
    pairs.cohort_exclusion,
    pairs.is_disqualified,
    pairs.meets_discharge_requirement,
    pairs.next_stay_id,
    pairs.days_to_next_admission,
    pairs.next_is_planned,
    case when {{ readmitted_in_any_window }} then pairs.next_stay_gross_charges end
        as readmission_gross_charges,
    case when {{ readmitted_in_any_window }} then pairs.next_stay_net_revenue end
        as readmission_net_revenue,
    {% for window in var('readmission_windows_days') %}
        pairs.is_index_{{ window }}d,
        pairs.is_readmitted_{{ window }}d{% if not loop.last %},{% endif %}
    {% endfor %}

from pairs
inner join encounters
    on pairs.stay_id = encounters.encounter_id
