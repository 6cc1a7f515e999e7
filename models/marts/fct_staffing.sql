-- One value per grain: the statement ranked first across reports (int_staffing__ranked).
select
    department_id,
    fiscal_year,
    metric, metric_label_zh, headcount,
    report_id,
    n_reports_stating,
    source_kind,
    prov_text
from {{ ref('int_staffing__ranked') }}
where preference_rank = 1
