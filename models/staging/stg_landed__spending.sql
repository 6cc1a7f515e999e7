-- Actual spending as stated in each report (one row per report × year × item × scope).
select
    report_id,
    fiscal_year,
    lower(trim(item)) as item,
    {{ clean_text('item_label_zh') }} as item_label_zh,
    coalesce(lower(trim(scope)), '{{ var("default_scope") }}') as scope,
    {{ wan('amount_wan') }} as amount_wan,
    source_kind,
    prov_block, prov_row, prov_col, prov_span, prov_text
from {{ ref('landed_spending') }}
where amount_wan is not null
