{#- The payer mix of kpi_payer_mix for every selection of the dashboard's period, department
    and age band filters: the whole period and each period the page offers (macro
    dashboard_periods, by month of admission), one department or all (is_all_departments), one
    age band or all (is_all_age_bands). Neither share adds up over the page's cells: a patient
    counts once, by the payer of the latest encounter in the selection, and the encounters'
    interval takes patients as clusters. So each selection is computed here from its
    encounters, with the definitions and intervals of kpi_payer_mix, which the rows of the
    whole period, all departments and all age bands equal (tested). The payer filter picks a
    payer's bars. -#}

{#- The department and age band choices: the columns a selection keeps (the others are all). -#}
{%- set choices = [['department_name', 'age_band'], ['department_name'], ['age_band'], []] -%}
{%- set none_of_type = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}

with

periods as (

    {{ dashboard_periods() }}

),

encounters as (

    select
        encounter_id,
        patient_id,
        department_name,
        age_band,
        admission_month,
        admitted_at,
        payer_class

    from {{ ref('fct_encounters') }}
    where is_reportable

),

{# Every encounter once per department and age band choice, with whether it is the patient's
    latest in that choice. Periods all run to the last admission day, so the latest over the
    whole period is also the latest in every period that holds it, and a patient whose latest
    falls before a period has no encounter in it. #}
chosen as (
    {%- for kept in choices %}

        {% if not loop.first %}union all{% endif %}

        select
            {{ 'false' if 'department_name' in kept else 'true' }} as is_all_departments,
            {{ 'department_name' if 'department_name' in kept else none_of_type }} as department_name,
            {{ 'false' if 'age_band' in kept else 'true' }} as is_all_age_bands,
            {{ 'age_band' if 'age_band' in kept else none_of_type }} as age_band,
            patient_id,
            payer_class,
            admission_month,
            row_number() over (
                partition by patient_id{% for column in kept %}, {{ column }}{% endfor %}
                order by admitted_at desc, encounter_id desc
            ) = 1 as is_latest

        from encounters
    {%- endfor %}

),

selected as (

    select
        periods.period_months,
        chosen.is_all_departments,
        chosen.department_name,
        chosen.is_all_age_bands,
        chosen.age_band,
        chosen.patient_id,
        chosen.payer_class,
        chosen.is_latest

    from chosen
    inner join periods
        on periods.period_start is null or chosen.admission_month >= periods.period_start

),

{# Patients: the payer of each patient's latest encounter in the selection (none if its
    payer is missing, as in kpi_payer_mix). #}
patient_classes as (

    select
        period_months,
        is_all_departments,
        department_name,
        is_all_age_bands,
        age_band,
        payer_class,
        count(*) as payer_class_count

    from selected
    where is_latest and payer_class is not null
    group by period_months, is_all_departments, department_name, is_all_age_bands, age_band, payer_class

),

by_patients as (

    select
        'patients' as basis,
        period_months,
        is_all_departments,
        department_name,
        is_all_age_bands,
        age_band,
        payer_class,
        {{ as_bigint('payer_class_count') }} as payer_class_count,
        {{ as_bigint(
            'sum(payer_class_count) over (partition by period_months, is_all_departments, '
            ~ 'department_name, is_all_age_bands, age_band)'
        ) }} as basis_total

    from patient_classes

),

{# Encounters: each patient's encounters in the selection by payer class (y_i) and in all
    (m_i), summed into the terms of macro clustered_share_standard_error. #}
patient_class_encounters as (

    select
        period_months,
        is_all_departments,
        department_name,
        is_all_age_bands,
        age_band,
        patient_id,
        payer_class,
        count(*) as class_encounters

    from selected
    group by
        period_months,
        is_all_departments,
        department_name,
        is_all_age_bands,
        age_band,
        patient_id,
        payer_class

),

patient_encounters as (

    select
        *,
        sum(class_encounters) over (
            partition by
                period_months, is_all_departments, department_name, is_all_age_bands, age_band, patient_id
        ) as encounters

    from patient_class_encounters

),

encounter_classes as (

    select
        period_months,
        is_all_departments,
        department_name,
        is_all_age_bands,
        age_band,
        payer_class,
        sum(class_encounters) as payer_class_count,
        sum(class_encounters * class_encounters) as sum_class_squared,
        sum(class_encounters * encounters) as sum_class_times_encounters

    from patient_encounters
    group by period_months, is_all_departments, department_name, is_all_age_bands, age_band, payer_class

),

{# Per selection: patients, all encounters and the sum of m_i squared (over a patient's
    classes, y_i times m_i adds up to m_i squared). #}
encounter_clusters as (

    select
        period_months,
        is_all_departments,
        department_name,
        is_all_age_bands,
        age_band,
        count(distinct patient_id) as patients,
        sum(class_encounters) as all_encounters,
        sum(class_encounters * encounters) as sum_encounters_squared

    from patient_encounters
    group by period_months, is_all_departments, department_name, is_all_age_bands, age_band

),

by_encounters as (

    select
        'encounters' as basis,
        encounter_classes.period_months,
        encounter_classes.is_all_departments,
        encounter_classes.department_name,
        encounter_classes.is_all_age_bands,
        encounter_classes.age_band,
        encounter_classes.payer_class,
        {{ as_bigint('encounter_classes.payer_class_count') }} as payer_class_count,
        {{ as_bigint('encounter_clusters.all_encounters') }} as basis_total,
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
    inner join encounter_clusters
        on
            encounter_classes.period_months = encounter_clusters.period_months
            and encounter_classes.is_all_departments = encounter_clusters.is_all_departments
            and encounter_classes.department_name is not distinct from encounter_clusters.department_name
            and encounter_classes.is_all_age_bands = encounter_clusters.is_all_age_bands
            and encounter_classes.age_band is not distinct from encounter_clusters.age_band

)

select
    basis,
    period_months,
    is_all_departments,
    department_name,
    is_all_age_bands,
    age_band,
    payer_class,
    payer_class = 'self_pay' as is_uninsured,
    payer_class_count,
    basis_total,
    share,
    greatest(share - 1.96 * share_standard_error, 0) as share_low,
    least(share + 1.96 * share_standard_error, 1) as share_high

from by_encounters

union all

select
    basis,
    period_months,
    is_all_departments,
    department_name,
    is_all_age_bands,
    age_band,
    payer_class,
    payer_class = 'self_pay' as is_uninsured,
    payer_class_count,
    basis_total,
    payer_class_count * 1.0 / basis_total as share,
    {{ wilson_low('payer_class_count', 'basis_total') }} as share_low,
    {{ wilson_high('payer_class_count', 'basis_total') }} as share_high

from by_patients
