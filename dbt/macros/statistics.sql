{#- Interval estimates and test p-values in plain SQL (no package hub; every engine has exp,
    ln and sqrt). The reports quote these columns; the model docs name the method. -#}

{#- Wilson score interval for a proportion k / n (Wilson 1927; the interval recommended by
    Brown, Cai and DasGupta 2001 over the Wald interval for small counts and rates near 0 or
    1). z = 1.96 gives 95%. Null when n is 0. Clamped to [0, 1]: at k = 0 or k = n the exact
    bound is 0 or 1, and floating point can land a hair outside. -#}
{% macro wilson_low(k, n, z=1.96) -%}
    case when {{ n }} > 0 then
        greatest(0.0, (
            ({{ k }}) * 1.0 / ({{ n }}) + {{ z }} * {{ z }} / (2.0 * ({{ n }}))
            - {{ z }} * sqrt(
                ({{ k }}) * 1.0 / ({{ n }}) * (1 - ({{ k }}) * 1.0 / ({{ n }})) / ({{ n }})
                + {{ z }} * {{ z }} / (4.0 * ({{ n }}) * ({{ n }}))
            )
        ) / (1 + {{ z }} * {{ z }} / ({{ n }})))
    end
{%- endmacro %}

{% macro wilson_high(k, n, z=1.96) -%}
    case when {{ n }} > 0 then
        least(1.0, (
            ({{ k }}) * 1.0 / ({{ n }}) + {{ z }} * {{ z }} / (2.0 * ({{ n }}))
            + {{ z }} * sqrt(
                ({{ k }}) * 1.0 / ({{ n }}) * (1 - ({{ k }}) * 1.0 / ({{ n }})) / ({{ n }})
                + {{ z }} * {{ z }} / (4.0 * ({{ n }}) * ({{ n }}))
            )
        ) / (1 + {{ z }} * {{ z }} / ({{ n }})))
    end
{%- endmacro %}

{#- P(Z >= z) for a standard normal Z: 0.5 * erfc(z / sqrt(2)), erfc by the Chebyshev fit of
    Press et al., Numerical Recipes (2nd ed., section 6.2, erfcc), relative error below
    1.2e-7 everywhere, so tiny p-values stay accurate enough for a Bonferroni correction. -#}
{% macro normal_upper_tail(z) -%}
    (
        case when ({{ z }}) >= 0 then 0.5 else -0.5 end
        * {{ _erfcc_tail('abs(' ~ z ~ ') / sqrt(2.0)') }}
        + case when ({{ z }}) >= 0 then 0.0 else 1.0 end
    )
{%- endmacro %}

{#- Two-sided p-value of a z statistic: P(|Z| >= |z|). -#}
{% macro normal_two_sided_p(z) -%}
    {{ _erfcc_tail('abs(' ~ z ~ ') / sqrt(2.0)') }}
{%- endmacro %}

{#- erfc(x) for x >= 0 (Numerical Recipes erfcc). -#}
{% macro _erfcc_tail(x) -%}
    (
        (1.0 / (1.0 + 0.5 * ({{ x }})))
        * exp(
            -({{ x }}) * ({{ x }}) - 1.26551223
            + (1.0 / (1.0 + 0.5 * ({{ x }}))) * (1.00002368
            + (1.0 / (1.0 + 0.5 * ({{ x }}))) * (0.37409196
            + (1.0 / (1.0 + 0.5 * ({{ x }}))) * (0.09678418
            + (1.0 / (1.0 + 0.5 * ({{ x }}))) * (-0.18628806
            + (1.0 / (1.0 + 0.5 * ({{ x }}))) * (0.27886807
            + (1.0 / (1.0 + 0.5 * ({{ x }}))) * (-1.13520398
            + (1.0 / (1.0 + 0.5 * ({{ x }}))) * (1.48851587
            + (1.0 / (1.0 + 0.5 * ({{ x }}))) * (-0.82215223
            + (1.0 / (1.0 + 0.5 * ({{ x }}))) * 0.17087277))))))))
        )
    )
{%- endmacro %}

{#- P(X >= k) for X binomial with n trials and success probability p, exactly: the sum of the
    terms C(n, j) p^j (1 - p)^(n - j) for j from k to n, each through lgamma so large n does
    not overflow. The normal approximation's tail is far too small at a few expected events
    (7 expected, 17 seen: 1.9e-5 against the exact 2.3e-4), which a Bonferroni correction over
    hundreds of tests turns into false findings. Needs 0 < p < 1 (callers test only such
    cells); n up to a few hundred thousand is quick (one row per term). -#}
{% macro binomial_upper_tail(k, n, p) -%}
    {{ return(adapter.dispatch('binomial_upper_tail')(k, n, p)) }}
{%- endmacro %}

{#- DuckDB: a row per term from the table function range, each term through lgamma. -#}
{% macro default__binomial_upper_tail(k, n, p) -%}
    (
        select
            least(1.0, coalesce(sum(exp(
                lgamma(({{ n }}) + 1) - lgamma(terms.j + 1) - lgamma(({{ n }}) - terms.j + 1)
                + terms.j * ln({{ p }}) + (({{ n }}) - terms.j) * ln(1 - ({{ p }}))
            )), 0.0))
        from range(greatest({{ k }}, 0), ({{ n }}) + 1) as terms (j)
    )
{%- endmacro %}

{#- Spark has neither lgamma nor a table function that takes a column: the terms are summed
    over the array sequence(k, n) by aggregate, each term's logarithm from the one before
    (ln C(n, j + 1) = ln C(n, j) + ln(n - j) - ln(j + 1)), starting from ln C(n, k) summed the
    same way. Logarithms, as on DuckDB, so a tiny first term does not zero the rest. -#}
{% macro spark__binomial_upper_tail(k, n, p) -%}
    {%- set first = 'greatest(' ~ k ~ ', 0)' -%}
    {%- set log_choose_first -%}
        aggregate(
            sequence(1, greatest({{ first }}, 1)),
            cast(0 as double),
            (total, i) -> total + case when i <= {{ first }} then ln(({{ n }}) - {{ first }} + i) - ln(i) else 0 end
        )
    {%- endset -%}
    case when {{ first }} > ({{ n }}) then 0.0 else
        least(1.0, aggregate(
            sequence({{ first }}, {{ n }}),
            named_struct(
                'log_term', {{ log_choose_first }} + {{ first }} * ln({{ p }}) + (({{ n }}) - {{ first }}) * ln(1 - ({{ p }})),
                'total', cast(0 as double)
            ),
            (terms, j) -> named_struct(
                'log_term', terms.log_term + ln(greatest(({{ n }}) - j, 1)) - ln(j + 1) + ln({{ p }}) - ln(1 - ({{ p }})),
                'total', terms.total + exp(terms.log_term)
            ),
            terms -> terms.total
        ))
    end
{%- endmacro %}

{#- Two-sided 95% interval of a mean from its count, sum and sum of squares (normal
    approximation with the sample standard deviation; the counts the marts report are large
    enough for the central limit theorem). -#}
{% macro mean_margin_95(n, total, total_squares) -%}
    case when {{ n }} > 1 then
        1.96 * sqrt(
            greatest(({{ total_squares }}) - ({{ total }}) * ({{ total }}) * 1.0 / ({{ n }}), 0)
            / (({{ n }}) - 1) / ({{ n }})
        )
    end
{%- endmacro %}

{#- Standard error of a share of encounters when a patient's encounters are not independent
    (they mostly share one payer): the ratio estimator over patients as clusters, with the
    cluster-robust (linearised) variance
    n / (n - 1) * sum_i (y_i - share * m_i)^2 / M^2, expanded into sums that a group by gives:
    y_i a patient's encounters in the class, m_i all of them, M all encounters, n patients.
    Null for a single patient: one cluster has no variance to estimate. -#}
{% macro clustered_share_standard_error(
    patients, class_count, all_count, sum_class_squared, sum_class_times_all, sum_all_squared
) -%}
    case when {{ patients }} > 1 then
        sqrt(
            greatest(
                {{ patients }} * 1.0 / ({{ patients }} - 1)
                * (
                    {{ sum_class_squared }}
                    - 2 * ({{ class_count }} * 1.0 / {{ all_count }}) * {{ sum_class_times_all }}
                    + power({{ class_count }} * 1.0 / {{ all_count }}, 2) * {{ sum_all_squared }}
                ),
                0
            )
        ) / {{ all_count }}
    end
{%- endmacro %}
