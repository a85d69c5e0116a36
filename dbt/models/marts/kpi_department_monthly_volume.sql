{#- Department activity per month: encounters, inpatient admissions, average length of stay
    and bed-days (CMS length of stay, a same-day stay counts one day). -#}

select
    department_name,
    admission_month,
    count(*) as encounters,
    sum(case when encounter_class = 'inpatient' then 1 else 0 end) as inpatient_admissions,
    avg(case when encounter_class = 'inpatient' then length_of_stay_days_cms end)
        as average_length_of_stay_days,
    sum(case when encounter_class = 'inpatient' then length_of_stay_days_cms else 0 end)
        as bed_days

from {{ ref('fct_encounters') }}
where is_reportable
group by department_name, admission_month
