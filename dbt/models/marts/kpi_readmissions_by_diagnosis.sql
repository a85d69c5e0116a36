{#- Observed readmission rates, one set per window of the var readmission_windows_days,
    by principal diagnosis (ICD-10-CM) and age band, each against the rate of its age band:
    a one-sample z test of the cell's rate (binomial, normal approximation) with its
    one-sided p-value (is the diagnosis readmitted more than its age band?). Cells with fewer
    than the var readmission_min_index_stays_tested index stays are not tested; cells_tested
    counts the tested ones (the Bonferroni family). -#}

with

cells as (

    select
        principal_icd10_code,
        principal_description,
        age_band,
        {{ readmission_rate_columns() }}

    from {{ ref('fct_readmissions') }}
    group by principal_icd10_code, principal_description, age_band

),

bands as (

    select
        age_band,
        {{ readmission_rate_columns() }}

    from {{ ref('fct_readmissions') }}
    group by age_band

),

tested as (

    select
        cells.*,
        {{ age_band_label('cells.age_band') }} as age_band_label,
        {{ readmission_excess_z_columns('cells', 'bands') }}

    from cells
    left join bands
        on cells.age_band = bands.age_band

)

select
    *,
    {{ readmission_excess_p_columns() }}

from tested
