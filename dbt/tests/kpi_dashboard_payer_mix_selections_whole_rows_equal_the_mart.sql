{#- The dashboard's payer mix selections for the whole period, all departments and all age
    bands give what kpi_payer_mix shows, the chart drawn before a filter is chosen: the count,
    the total, the share and its interval of every basis and payer class. Rows returned are
    departures. -#}

with

whole as (

    select *
    from {{ ref('kpi_dashboard_payer_mix_selections') }}
    where period_months = 0 and is_all_departments and is_all_age_bands

)

select
    coalesce(marts.basis, whole.basis) as basis,
    coalesce(marts.payer_class, whole.payer_class) as payer_class

from {{ ref('kpi_payer_mix') }} as marts
full outer join whole
    on
        marts.basis = whole.basis
        and marts.payer_class = whole.payer_class
where
    coalesce(marts.payer_class_count, -1) != coalesce(whole.payer_class_count, -1)
    or coalesce(marts.basis_total, -1) != coalesce(whole.basis_total, -1)
    or abs(coalesce(marts.share_low, -1) - coalesce(whole.share_low, -1)) > 1e-9
    or abs(coalesce(marts.share_high, -1) - coalesce(whole.share_high, -1)) > 1e-9
