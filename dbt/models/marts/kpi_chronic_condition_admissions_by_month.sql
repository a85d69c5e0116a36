{#- Encounters and inpatient admissions per month for each chronic-condition group of the
    principal diagnosis (diabetes, heart disease, hypertension, COPD, asthma, CKD). -#}

select
    principal_condition_group as condition_group,
    admission_month,
    {{ date_part_int('month', 'admission_month') }} as calendar_month,
    count(*) as encounters,
    {{ count_where("encounter_class = 'inpatient'") }} as inpatient_admissions

from {{ ref('fct_encounters') }}
where is_reportable
    and principal_condition_group is not null
group by principal_condition_group, admission_month
