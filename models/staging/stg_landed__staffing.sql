-- Headcounts as stated in each report (one row per report × year × metric).
select
    report_id,
    fiscal_year,
    lower(trim(metric)) as metric,
    {{ clean_text('metric_label_zh') }} as metric_label_zh,
    cast(headcount as integer) as headcount,
    source_kind,
    prov_block, prov_row, prov_col, prov_span, prov_text
from {{ ref('landed_staffing') }}
where headcount is not null
