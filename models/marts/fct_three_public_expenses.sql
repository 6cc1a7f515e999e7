-- One value per grain: the statement ranked first across reports (int_three_public__ranked).
select
    department_id,
    fiscal_year,
    category, category_label_zh, phase, amount_wan,
    report_id,
    n_reports_stating,
    source_kind,
    prov_text
from {{ ref('int_three_public__ranked') }}
where preference_rank = 1
