-- One value per grain: the statement ranked first across reports (int_projects__ranked), with the file
-- and the place it was read (source_file, prov_*).
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
    project_name, budget_wan, initial_budget_wan, actual_wan, self_score,
    report_id,
    source_file,
    n_reports_stating,
    source_kind,
    prov_block, prov_row, prov_col, prov_span, prov_text
from {{ ref('int_projects__ranked') }}
where preference_rank = 1
    and {{ changed_only([('department_id', 'departments')]) }}
