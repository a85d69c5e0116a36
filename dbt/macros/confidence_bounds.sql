{#- 95% interval bounds the KPI tables put beside a measured figure; bound is 'low' or 'high'. -#}

{#- Wilson score interval of the proportion successes / trials: it stays inside 0..1 and is
    sound for small counts and for rates near 0 or 1, where the normal approximation is not. -#}
{% macro wilson_bound(successes, trials, bound, z=1.96) -%}
    {%- set sign = '-' if bound == 'low' else '+' -%}
    (
        {{ successes }} * 1.0 / {{ trials }} + {{ z }} * {{ z }} / (2.0 * {{ trials }})
        {{ sign }} {{ z }} * sqrt(
            {{ successes }} * 1.0 / {{ trials }} * (1 - {{ successes }} * 1.0 / {{ trials }}) / {{ trials }}
            + {{ z }} * {{ z }} / (4.0 * {{ trials }} * {{ trials }})
        )
    ) / (1 + {{ z }} * {{ z }} / {{ trials }})
{%- endmacro %}

{#- Interval of the ratio of two Poisson rates, (a / a_exposure) / (b / b_exposure): the log of
    the ratio plus or minus z * sqrt(1/a + 1/b). -#}
{% macro rate_ratio_bound(a, a_exposure, b, b_exposure, bound, z=1.96) -%}
    {%- set sign = '-' if bound == 'low' else '+' -%}
    exp(
        ln(({{ a }} * 1.0 / {{ a_exposure }}) / ({{ b }} * 1.0 / {{ b_exposure }}))
        {{ sign }} {{ z }} * sqrt(1.0 / {{ a }} + 1.0 / {{ b }})
    )
{%- endmacro %}

{#- Normal interval of the mean of a column over the rows aggregated. -#}
{% macro mean_bound(column, bound, z=1.96) -%}
    {%- set sign = '-' if bound == 'low' else '+' -%}
    avg({{ column }}) {{ sign }} {{ z }} * stddev_samp({{ column }}) / sqrt(count({{ column }}))
{%- endmacro %}
