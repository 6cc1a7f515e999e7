-- Budget by 功能分类科目 as stated in each report (one row per report × year × phase × subject code).
select
    report_id,
    fiscal_year,
    lower(trim(phase)) as phase,
    {{ squeeze_text('subject_code') }} as subject_code,
    {{ squeeze_text('subject_name') }} as subject_name,
    total_wan,
    basic_wan,
    project_wan,
    source_kind,
    prov_block, prov_row, prov_col, prov_span, prov_text
from {{ ref('landed_budget_by_function') }}
where {{ squeeze_text('subject_code') }} is not null
