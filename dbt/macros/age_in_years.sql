{#- Completed years between two dates (a birthday not yet reached does not count).
    Built on dbt's cross-database datediff/dateadd so it ports beyond DuckDB. The year count is
    parenthesised before dateadd multiplies it: dbt-spark renders datediff(year) as
    year(b) - year(a) and dateadd(year) as add_months(..., n * 12), so without the parentheses
    Spark computed add_months(birth, year(b) - year(a) * 12), a date long past, so a birthday
    not yet reached in the year of at_date still counted: one year too old, silently (unit
    test ages_count_completed_years). -#}
{% macro age_in_years(birth_date, at_date) -%}
    {%- set calendar_years = '(' ~ dbt.datediff(birth_date, at_date, 'year') ~ ')' -%}
    (
        {{ calendar_years }}
        - case
            when {{ dbt.dateadd('year', calendar_years, birth_date) }} > {{ at_date }}
            then 1
            else 0
        end
    )
{%- endmacro %}
