-- Named project lines as stated in each report (one row per report × year × project name).
select
    report_id,
    fiscal_year,
    {{ squeeze_text('project_name') }} as project_name,
    budget_wan,
    actual_wan,
    source_kind,
    prov_block, prov_row, prov_col, prov_span, prov_text
from {{ ref('landed_projects') }}
where {{ squeeze_text('project_name') }} is not null
