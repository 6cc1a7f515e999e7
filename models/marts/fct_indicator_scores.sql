-- The indicator rows of the preferred report for each department × fiscal_year × table (project_name NULL
-- for the unit-wide table), with the file and the place each was read.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ delete_changed([('department_id', 'departments')]) }}"
) }}
-- depends_on: {{ ref('changed_reports') }}
select
    department_id,
    fiscal_year,
    report_id,
    project_name,
    level1_name,
    level1,
    level1_points,
    level2_name,
    level2,
    indicator_name,
    target_value,
    actual_value,
    weight,
    score,
    deviation_note,
    source_file,
    source_kind,
    prov_block, prov_row, prov_col, prov_span, prov_text
from {{ ref('int_indicator_scores__ranked') }}
where report_rank = 1
    and {{ changed_only([('department_id', 'departments')]) }}
