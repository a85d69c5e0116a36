with

source as (

    select * from {{ source('readmission_model', 'followup_scores') }}

),

renamed as (

    select
        cast(stay_id as {{ dbt.type_string() }}) as stay_id,
        cast(predicted_risk_30d as {{ type_double() }}) as predicted_risk_30d,
        risk_band,
        top_factors,
        scored_by

    from source

)

select * from renamed
