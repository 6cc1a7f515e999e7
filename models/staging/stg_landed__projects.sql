-- Named project lines as stated in each report (one row per report × year × project name); amounts
-- DECIMAL(18,4) 万元, the project table's 总分 as points.
select
    report_id,
    fiscal_year,
    {{ squeeze_text('project_name') }} as project_name,
    {{ wan('budget_wan') }} as budget_wan,
    {{ wan('initial_budget_wan') }} as initial_budget_wan,
    {{ wan('actual_wan') }} as actual_wan,
    {{ points('self_score') }} as self_score,
    source_kind,
    prov_block, prov_row, prov_col, prov_span, prov_text
from {{ ref('landed_projects') }}
where {{ squeeze_text('project_name') }} is not null
