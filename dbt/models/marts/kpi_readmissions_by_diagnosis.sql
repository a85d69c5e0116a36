{#- Observed readmission rates, one set per window of the var readmission_windows_days,
    by principal diagnosis (ICD-10-CM) and age band, each against the rate expected from where
    its stays were (indirect standardisation: every index stay expects the rate of its
    department and age band). z = (observed - expected readmissions) / sqrt(sum of p (1 - p)),
    one-sided (is the diagnosis readmitted more than its departments would predict?). Cells
    with fewer than the var readmission_min_index_stays_tested index stays are not tested;
    cells_tested counts the tested ones (the Bonferroni family). -#}

with

department_bands as (

    select
        department_name,
        age_band,
        {{ readmission_rate_columns() }}

    from {{ ref('fct_readmissions') }}
    group by department_name, age_band

),

stays as (

    select
        readmissions.*,
        {{ readmission_expected_rate_columns('department_bands') }}

    from {{ ref('fct_readmissions') }} as readmissions
    left join department_bands
        on
            readmissions.department_name = department_bands.department_name
            and readmissions.age_band = department_bands.age_band

),

cells as (

    select
        principal_icd10_code,
        principal_description,
        age_band,
        {{ age_band_label('age_band') }} as age_band_label,
        {{ readmission_rate_columns() }},
        {{ readmission_expected_sums() }}

    from stays
    group by principal_icd10_code, principal_description, age_band

),

tested as (

    select
        *,
        {{ readmission_excess_z_columns() }}

    from cells

)

select
    *,
    {{ readmission_excess_p_columns() }},
    {{ var('finding_significance_level') }} as significance_level

from tested
