-- One value per grain: the statement ranked first across reports (int_staffing__ranked), with the file
-- and the place it was read (source_file, prov_*).
select
    department_id,
    fiscal_year,
    metric, metric_label_zh, headcount,
    report_id,
    source_file,
    n_reports_stating,
    source_kind,
    prov_block, prov_row, prov_col, prov_span, prov_text
from {{ ref('int_staffing__ranked') }}
where preference_rank = 1
