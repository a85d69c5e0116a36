{#- The three reporting bands of docs/design.md: pediatric under 18, adult 18-64, senior 65+. -#}
{% macro age_band(age) -%}
    case
        when {{ age }} < 18 then 'pediatric'
        when {{ age }} < 65 then 'adult'
        when {{ age }} >= 65 then 'senior'
    end
{%- endmacro %}

{#- Finer bands, after the AHRQ HCUP age groups. -#}
{% macro age_band_fine(age) -%}
    case
        when {{ age }} < 5 then '00-04'
        when {{ age }} < 18 then '05-17'
        when {{ age }} < 35 then '18-34'
        when {{ age }} < 50 then '35-49'
        when {{ age }} < 65 then '50-64'
        when {{ age }} < 75 then '65-74'
        when {{ age }} < 85 then '75-84'
        when {{ age }} >= 85 then '85+'
    end
{%- endmacro %}
