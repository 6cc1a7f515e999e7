-- One value per grain: the statement ranked first across reports (int_three_public__ranked), with the file
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
    category, category_label_zh, phase, amount_wan,
    report_id,
    source_file,
    n_reports_stating,
    source_kind,
    prov_block, prov_row, prov_col, prov_span, prov_text
from {{ ref('int_three_public__ranked') }}
where preference_rank = 1
    and {{ changed_only([('department_id', 'departments')]) }}
