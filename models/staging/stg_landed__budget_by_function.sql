-- Budget by 功能分类科目 as stated in each report (one row per report × year × phase × subject code,
-- or subject name where the report gives the class without a code).
select
    report_id,
    fiscal_year,
    lower(trim(phase)) as phase,
    {{ squeeze_text('subject_code') }} as subject_code,
    {{ squeeze_text('subject_name') }} as subject_name,
    -- the grain's subject: the code, or the class name where the report gives no code
    coalesce({{ squeeze_text('subject_code') }}, 'name:' || {{ squeeze_text('subject_name') }}) as subject_key,
    {{ wan('total_wan') }} as total_wan,
    {{ wan('basic_wan') }} as basic_wan,
    {{ wan('project_wan') }} as project_wan,
    source_kind,
    prov_block, prov_row, prov_col, prov_span, prov_text
from {{ ref('landed_budget_by_function') }}
where coalesce({{ squeeze_text('subject_code') }}, {{ squeeze_text('subject_name') }}) is not null
