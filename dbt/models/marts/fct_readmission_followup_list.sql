{#- The readmission follow-up list: the recent discharges the model scored (the source
    readmission_model.followup_scores), ranked by predicted 30-day risk, with what a care team
    needs beside the score. The stay's attributes come from the marts that define them
    (fct_readmissions, fct_readmission_risk_features), not from the model. Ties in risk are
    ranked by stay_id, so the ranking is reproducible. -#}

with

scores as (

    select * from {{ ref('stg_readmission_model__followup_scores') }}

),

stays as (

    select
        stay_id,
        patient_id,
        discharge_date,
        department_id,
        department_name,
        age_band,
        payer_class,
        principal_icd10_code,
        principal_description
    from {{ ref('fct_readmissions') }}

),

features as (

    select
        stay_id,
        length_of_stay_days,
        lace_length_points,
        lace_acuity_points,
        lace_comorbidity_points,
        lace_emergency_points,
        lace_score
    from {{ ref('fct_readmission_risk_features') }}

),

ranked as (

    select
        row_number() over (
            order by scores.predicted_risk_30d desc, scores.stay_id asc
        ) as risk_rank,
        ntile(10) over (
            order by scores.predicted_risk_30d desc, scores.stay_id asc
        ) as risk_decile,
        scores.stay_id,
        stays.patient_id,
        stays.discharge_date,
        stays.department_id,
        stays.department_name,
        stays.age_band,
        stays.payer_class,
        stays.principal_icd10_code,
        stays.principal_description,
        scores.predicted_risk_30d,
        scores.risk_band,
        scores.top_factors,
        features.length_of_stay_days,
        features.lace_length_points,
        features.lace_acuity_points,
        features.lace_comorbidity_points,
        features.lace_emergency_points,
        features.lace_score,
        scores.scored_by

    from scores
    left join stays
        on scores.stay_id = stays.stay_id
    left join features
        on scores.stay_id = features.stay_id

)

select * from ranked
