-- Data-quality findings raised by the extractor while reading one report (one row per finding).
select
    report_id,
    lower(trim("check")) as "check",
    lower(trim(severity)) as severity,
    {{ clean_text('message') }} as message,
    {{ clean_text('observed') }} as observed,
    {{ clean_text('expected') }} as expected,
    source_kind,
    prov_block, prov_row, prov_col, prov_span, prov_text
from {{ ref('landed_findings') }}
