{#- dim_date counts out at most calendar_max_days (var) days: every admission day of the data
    must still have its row. -#}

with

admission_days as (

    select distinct admission_date from {{ ref('fct_encounters') }}

),

calendar as (

    select date_day from {{ ref('dim_date') }}

)

select admission_days.admission_date

from admission_days
left join calendar
    on admission_days.admission_date = calendar.date_day
where calendar.date_day is null
