{#- kpi_payer_mix counts what fct_encounters and dim_patients hold, counted here on their own:
    reportable encounters per payer class, and patients per the payer class of their latest
    reportable encounter (dim_patients.latest_payer_class, ranked there by row_number, not by
    the selections' max_by). The mart is a selection of kpi_dashboard_payer_mix_selections, so
    this checks the selections' whole rows against an independent count. Rows returned are
    departures. -#}

with

expected as (

    select
        'encounters' as basis,
        payer_class,
        count(*) as payer_class_count,
        sum(count(*)) over () as basis_total

    from {{ ref('fct_encounters') }}
    where is_reportable
    group by payer_class

    union all

    select
        'patients' as basis,
        latest_payer_class as payer_class,
        count(*) as payer_class_count,
        sum(count(*)) over () as basis_total

    from {{ ref('dim_patients') }}
    where latest_payer_class is not null
    group by latest_payer_class

)

select
    coalesce(marts.basis, expected.basis) as basis,
    coalesce(marts.payer_class, expected.payer_class) as payer_class

from {{ ref('kpi_payer_mix') }} as marts
full outer join expected
    on
        marts.basis = expected.basis
        and marts.payer_class = expected.payer_class
where
    coalesce(marts.payer_class_count, -1) != coalesce(expected.payer_class_count, -1)
    or coalesce(marts.basis_total, -1) != coalesce(expected.basis_total, -1)
