{#- Payer mix: the share of encounters, and of patients (by the payer of their latest
    encounter), per payer class, with 95% intervals. Uninsured = self_pay.
    Patients: one payer each, a binomial share with its Wilson score interval.
    Encounters: a patient's encounters mostly share one payer, so they are not independent;
    the share is a ratio estimator over patients (clusters) and its interval is the Wald
    interval of the cluster-robust variance (macro clustered_share_standard_error).
    kpi_dashboard_payer_mix_selections computes the mix of every dashboard selection with these
    definitions; this mart is its selection of the whole period, all departments and all age
    bands, so the two cannot drift apart and the mix is computed once. -#}

select
    basis,
    payer_class,
    is_uninsured,
    payer_class_count,
    basis_total,
    share,
    share_low,
    share_high

from {{ ref('kpi_dashboard_payer_mix_selections') }}
where period_months = 0 and is_all_departments and is_all_age_bands
