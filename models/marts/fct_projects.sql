-- One value per grain: the statement ranked first across reports (int_projects__ranked).
select
    department_id,
    fiscal_year,
    project_name, budget_wan, actual_wan,
    report_id,
    n_reports_stating,
    source_kind,
    prov_text
from {{ ref('int_projects__ranked') }}
where preference_rank = 1
