with

source as (

    select * from {{ source('emr', 'extract_manifest') }}

),

renamed as (

    select
        cast(history_fingerprint as {{ dbt.type_string() }}) as history_fingerprint,
        cast(seed as bigint) as seed,
        cast(patients as bigint) as patients,
        cast(start_date as date) as extract_start_date,
        cast(end_date as date) as extract_end_date,
        planted_departures

    from source

)

select * from renamed
