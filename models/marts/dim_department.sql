-- One row per budget unit.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ delete_changed([('department_id', 'departments')]) }}"
) }}
-- depends_on: {{ ref('changed_reports') }}
select
    department_id,
    department_name,
    department_status,
    province,
    city,
    county,
    township,
    county_code,
    n_reports,
    first_fiscal_year,
    last_fiscal_year
from {{ ref('int_departments') }}
where {{ changed_only([('department_id', 'departments')]) }}
