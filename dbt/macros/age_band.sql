{#- The three reporting bands of docs/design.md, defined once: name, first and last year of
    age (none = no upper limit). age_band() classifies an age; age_band_label() names a band
    with its ages, as every report sentence must ("adult (18-64)"). -#}
{% macro age_bands() -%}
    {{ return([('pediatric', 0, 17), ('adult', 18, 64), ('senior', 65, none)]) }}
{%- endmacro %}

{% macro age_band(age) -%}
    case
        {%- for name, first_age, last_age in age_bands() %}
        when {{ age }} {{ '>= ' ~ first_age if last_age is none else '<= ' ~ last_age }} then '{{ name }}'
        {%- endfor %}
    end
{%- endmacro %}

{% macro age_band_label(band) -%}
    case {{ band }}
        {%- for name, first_age, last_age in age_bands() %}
        when '{{ name }}' then '{{ name }} ({{ first_age }}{{ "+" if last_age is none else "-" ~ last_age }})'
        {%- endfor %}
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
