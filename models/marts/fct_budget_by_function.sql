-- One value per grain: the statement ranked first across reports (int_budget_by_function__ranked), with the file
-- and the place it was read (source_file, prov_*).
select
    department_id,
    fiscal_year,
    phase, subject_code, subject_name, total_wan, basic_wan, project_wan,
    report_id,
    source_file,
    n_reports_stating,
    source_kind,
    prov_block, prov_row, prov_col, prov_span, prov_text
from {{ ref('int_budget_by_function__ranked') }}
where preference_rank = 1
