-- 三公经费 as stated in each report (one row per report × year × category × phase).
select
    report_id,
    fiscal_year,
    lower(trim(category)) as category,
    {{ clean_text('category_label_zh') }} as category_label_zh,
    lower(trim(phase)) as phase,
    {{ wan('amount_wan') }} as amount_wan,
    source_kind,
    prov_block, prov_row, prov_col, prov_span, prov_text
from {{ ref('landed_three_public') }}
where amount_wan is not null
