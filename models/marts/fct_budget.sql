-- One value per grain: the statement ranked first across reports (int_budget__ranked).
select
    department_id,
    fiscal_year,
    item, item_label_zh, phase, scope, amount_wan,
    report_id,
    n_reports_stating,
    source_kind,
    prov_text
from {{ ref('int_budget__ranked') }}
where preference_rank = 1
