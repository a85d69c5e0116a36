{#- The payer mix of kpi_payer_mix for every selection of the dashboard's period, department
    and age band filters: the whole period and each period the page offers (macro
    dashboard_periods, by month of admission), one department or all (is_all_departments), one
    age band or all (is_all_age_bands). Neither share adds up over the page's cells: a patient
    counts once, by the payer of the latest encounter in the selection, and the encounters'
    interval takes patients as clusters. So each selection is computed here from its
    encounters, with the definitions and intervals of kpi_payer_mix, which is the rows of the
    whole period, all departments and all age bands. The payer filter picks a payer's bars. -#}

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

{# Each patient's latest encounter (its payer and month) in each department and age band,
    then in each department, each age band and overall, rolled up from those. Periods all run
    to the last admission day, so the latest over the whole period is also the latest in every
    period that holds it, and a patient whose latest falls before a period is not in it. #}
latest_in_department_age_band as (

    select
        patient_id,
        department_name,
        age_band,
        max((admitted_at, encounter_id)) as latest_key,
        max_by(payer_class, (admitted_at, encounter_id)) as payer_class,
        max_by(admission_month, (admitted_at, encounter_id)) as admission_month

    from encounters
    group by patient_id, department_name, age_band

),

latest as (
    {%- for kept in choices %}

        {% if not loop.first %}union all{% endif %}

        select
            {{ 'false' if 'department_name' in kept else 'true' }} as is_all_departments,
            {{ 'department_name' if 'department_name' in kept else none_of_type }} as department_name,
            {{ 'false' if 'age_band' in kept else 'true' }} as is_all_age_bands,
            {{ 'age_band' if 'age_band' in kept else none_of_type }} as age_band,
            max_by(payer_class, latest_key) as payer_class,
            max_by(admission_month, latest_key) as admission_month

        from latest_in_department_age_band
        group by patient_id{% for column in kept %}, {{ column }}{% endfor %}
    {%- endfor %}

),

{# Patients: the payer of each patient's latest encounter in the selection (every reportable
    encounter has one: kpi_payer_mix's not_null test on payer_class would fail otherwise). #}
patient_classes as (

    select
        periods.period_months,
        latest.is_all_departments,
        latest.department_name,
        latest.is_all_age_bands,
        latest.age_band,
        latest.payer_class,
        count(*) as payer_class_count

    from latest
    inner join periods
        on periods.period_start is null or latest.admission_month >= periods.period_start
    group by
        periods.period_months,
        latest.is_all_departments,
        latest.department_name,
        latest.is_all_age_bands,
        latest.age_band,
        latest.payer_class

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

{# Encounters: each patient's encounters by payer class in each period, department and age
    band, then summed into each selection (y_i), with the patient's total there (m_i); summed
    into the terms of macro clustered_share_standard_error. #}
period_cells as (

    select
        periods.period_months,
        encounters.patient_id,
        encounters.department_name,
        encounters.age_band,
        encounters.payer_class,
        count(*) as class_encounters

    from encounters
    inner join periods
        on periods.period_start is null or encounters.admission_month >= periods.period_start
    group by
        periods.period_months,
        encounters.patient_id,
        encounters.department_name,
        encounters.age_band,
        encounters.payer_class

),

patient_class_encounters as (
    {%- for kept in choices %}

        {% if not loop.first %}union all{% endif %}

        select
            period_months,
            {{ 'false' if 'department_name' in kept else 'true' }} as is_all_departments,
            {{ 'department_name' if 'department_name' in kept else none_of_type }} as department_name,
            {{ 'false' if 'age_band' in kept else 'true' }} as is_all_age_bands,
            {{ 'age_band' if 'age_band' in kept else none_of_type }} as age_band,
            patient_id,
            payer_class,
            sum(class_encounters) as class_encounters

        from period_cells
        group by all
    {%- endfor %}

),

patient_encounters as (

    select
        period_months,
        is_all_departments,
        department_name,
        is_all_age_bands,
        age_band,
        patient_id,
        sum(class_encounters) as encounters

    from patient_class_encounters
    group by period_months, is_all_departments, department_name, is_all_age_bands, age_band, patient_id

),

encounter_classes as (

    select
        classes.period_months,
        classes.is_all_departments,
        classes.department_name,
        classes.is_all_age_bands,
        classes.age_band,
        classes.payer_class,
        sum(classes.class_encounters) as payer_class_count,
        sum(classes.class_encounters * classes.class_encounters) as sum_class_squared,
        sum(classes.class_encounters * patients.encounters) as sum_class_times_encounters

    from patient_class_encounters as classes
    inner join patient_encounters as patients
        on
            classes.period_months = patients.period_months
            and classes.is_all_departments = patients.is_all_departments
            and classes.department_name is not distinct from patients.department_name
            and classes.is_all_age_bands = patients.is_all_age_bands
            and classes.age_band is not distinct from patients.age_band
            and classes.patient_id = patients.patient_id
    group by
        classes.period_months,
        classes.is_all_departments,
        classes.department_name,
        classes.is_all_age_bands,
        classes.age_band,
        classes.payer_class

),

encounter_clusters as (

    select
        period_months,
        is_all_departments,
        department_name,
        is_all_age_bands,
        age_band,
        count(*) as patients,
        sum(encounters) as all_encounters,
        sum(encounters * encounters) as sum_encounters_squared

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
    -- no interval without a standard error (a single patient): null, not 0 and 1
    case when share_standard_error is not null then greatest(share - 1.96 * share_standard_error, 0) end
        as share_low,
    case when share_standard_error is not null then least(share + 1.96 * share_standard_error, 1) end
        as share_high

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
