-- Budget amounts as stated in each report (one row per report × year × item × phase × scope).
select
    report_id,
    fiscal_year,
    lower(trim(item)) as item,
    {{ clean_text('item_label_zh') }} as item_label_zh,
    lower(trim(phase)) as phase,
    coalesce(lower(trim(scope)), '{{ var("default_scope") }}') as scope,
    {{ wan('amount_wan') }} as amount_wan,
    source_kind,
    prov_block, prov_row, prov_col, prov_span, prov_text
from {{ ref('landed_budget') }}
where amount_wan is not null
