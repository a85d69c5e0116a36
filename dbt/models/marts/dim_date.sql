{#- One row per calendar day from the first to the last admission in the data. -#}

with

bounds as (

    select
        min(admission_date) as first_date,
        max(admission_date) as last_date

    from {{ ref('fct_encounters') }}

),

days as (

    {{ dbt.date_spine(
        'day',
        "(select min(admission_date) from " ~ ref('fct_encounters') ~ ")",
        "(select " ~ dbt.dateadd('day', 1, 'max(admission_date)') ~ " from " ~ ref('fct_encounters') ~ ")"
    ) }}

)

select
    cast(days.date_day as date) as date_day,
    cast({{ dbt.date_trunc('month', 'days.date_day') }} as date) as month_start,
    {{ date_part_int('year', 'days.date_day') }} as calendar_year,
    {{ date_part_int('month', 'days.date_day') }} as calendar_month,
    {{ date_part_int('quarter', 'days.date_day') }} as calendar_quarter,
    {{ date_part_int('month', 'days.date_day') }} in (6, 7, 8) as is_summer

from days
cross join bounds
where cast(days.date_day as date) between bounds.first_date and bounds.last_date
