{#- Without a filter the dashboard's encounter and survey cells give what the marts show:
    encounters and inpatient admissions per department and month, inpatient admissions per
    condition group and month, and each department's surveys and mean rating. Rows returned
    are departures. -#}

with

volume as (

    select
        department_name,
        admission_month,
        {{ as_bigint('sum(encounters)') }} as encounters,
        {{ as_bigint('sum(inpatient_admissions)') }} as inpatient_admissions

    from {{ ref('kpi_dashboard_encounter_cells') }}
    group by department_name, admission_month

),

chronic as (

    select
        condition_group,
        admission_month,
        {{ as_bigint('sum(encounters)') }} as encounters,
        {{ as_bigint('sum(inpatient_admissions)') }} as inpatient_admissions

    from {{ ref('kpi_dashboard_encounter_cells') }}
    where condition_group is not null
    group by condition_group, admission_month

),

satisfaction as (

    select
        department_name,
        {{ as_bigint('sum(surveys)') }} as surveys,
        sum(overall_rating_sum) * 1.0 / sum(surveys) as mean_overall_rating

    from {{ ref('kpi_dashboard_survey_cells') }}
    group by department_name

)

select 'volume' as departure
from {{ ref('kpi_department_monthly_volume') }} as marts
full outer join volume
    on
        marts.department_name = volume.department_name
        and marts.admission_month = volume.admission_month
where
    coalesce(marts.encounters, -1) != coalesce(volume.encounters, -1)
    or coalesce(marts.inpatient_admissions, -1) != coalesce(volume.inpatient_admissions, -1)

union all

select 'chronic' as departure
from {{ ref('kpi_chronic_condition_admissions_by_month') }} as marts
full outer join chronic
    on
        marts.condition_group = chronic.condition_group
        and marts.admission_month = chronic.admission_month
where
    coalesce(marts.encounters, -1) != coalesce(chronic.encounters, -1)
    or coalesce(marts.inpatient_admissions, -1) != coalesce(chronic.inpatient_admissions, -1)

union all

select 'satisfaction' as departure
from {{ ref('kpi_satisfaction_by_department') }} as marts
full outer join satisfaction
    on marts.department_name = satisfaction.department_name
where
    coalesce(marts.surveys, -1) != coalesce(satisfaction.surveys, -1)
    or abs(coalesce(marts.mean_overall_rating, -1) - coalesce(satisfaction.mean_overall_rating, -1)) > 1e-9
