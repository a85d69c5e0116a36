{#- One row per calendar day from the first to the last admission in the data. The days are
    counted out by dbt.generate_series (cross joins on most engines, generate_series on
    DuckDB), whose length is fixed when the model compiles: var calendar_max_days. Unlike
    dbt.date_spine, nothing is queried at compile time, so the model compiles (dbt compile,
    docs, sqlfluff) before the warehouse holds any data. The test
    dim_date_covers_every_admission_day fails if the data ever spans more days. -#}

with

bounds as (

    select
        min(admission_date) as first_date,
        max(admission_date) as last_date

    from {{ ref('fct_encounters') }}

),

day_numbers as (

    {{ dbt.generate_series(var('calendar_max_days')) | trim }}

),

days as (

    select
        cast(
            {{ dbt.dateadd('day', 'day_numbers.generated_number - 1', 'bounds.first_date') }} as date
        ) as date_day,
        bounds.last_date

    from day_numbers
    cross join bounds

)

select
    date_day,
    cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
    {{ date_part_int('year', 'date_day') }} as calendar_year,
    {{ date_part_int('month', 'date_day') }} as calendar_month,
    {{ date_part_int('quarter', 'date_day') }} as calendar_quarter

from days
where date_day <= last_date
