-- One row per ingested document, quarantined ones included.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ delete_changed([('report_id', 'reports')]) }}"
) }}
-- depends_on: {{ ref('changed_reports') }}
select
    report_id,
    department_id,
    fiscal_year,
    source_file,
    report_date,
    self_score,
    grade,
    grade_label_zh,
    status,
    status_reason,
    department_name as department_name_as_written,
    grade_rule,
    indicator_total_weight,
    indicator_total_score,
    ocr_confidence,
    content_hash,
    file_format,
    document_kind,
    source_url,
    published_date,
    department_status
from {{ ref('int_reports') }}
where {{ changed_only([('report_id', 'reports')]) }}
