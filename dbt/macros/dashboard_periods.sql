{#- The dashboard's period filter, as a query for a CTE: the whole period (period_months 0,
    no start) and the last var('dashboard_period_months') months up to the last admission day,
    each starting on the first day of its first month (the month of the last day counts as
    one). The marts whose figures do not add over the page's monthly cells have a row per
    period from here (kpi_dashboard_*_selections). -#}
{% macro dashboard_periods() -%}

    with

    through as (

        select max(date_day) as last_day
        from {{ ref('dim_date') }}

    )

    select
        0 as period_months,
        cast(null as date) as period_start

    from through
    {%- for months in var('dashboard_period_months') %}

        union all

        select
            {{ months }} as period_months,
            cast(
                {{ dbt.dateadd('month', -(months - 1), dbt.date_trunc('month', 'through.last_day')) }} as date
            ) as period_start

        from through
    {%- endfor %}

{%- endmacro %}
