-- One row per ingested document, with its department identity.
-- department_id = stable hash of the extractor's unit_key (current division code / own name), so that
-- 武阳镇人民政府 and 绥宁县武阳镇人民政府 of the same county are one unit, a unit keeps its id when its
-- county is renamed (湟中县 → 湟中区), and namesakes elsewhere are not merged; without a unit_key (a
-- place the gazetteer cannot settle), the hash of (province, city, county, unit name without those prefixes,
-- as landed).
-- A loaded report that names no unit gets a unit of its own (department_status 'unknown', keyed by
-- the report), so that two such reports never merge.
with reports as (
    select * from {{ ref('stg_landed__reports') }}
),

graded as (
    -- unit_name: the name without its region's prefixes, decided by the extractor (landed_reports.unit_name)
    select * from reports
)

select
    graded.report_id,
    case when graded.status <> 'loaded' then null
         when graded.unit_key is not null and graded.unit_name is not null then
            substr(md5('unit|' || graded.unit_key), 1, 16)
         when graded.unit_name is not null then
            substr(md5(concat_ws('|', coalesce(graded.province, ''), coalesce(graded.city, ''),
                                 coalesce(graded.county, ''), graded.unit_name)), 1, 16)
         else substr(md5('unknown unit|' || graded.report_id), 1, 16)
    end as department_id,
    case when graded.status <> 'loaded' then null
         when graded.unit_name is not null then 'known' else 'unknown' end as department_status,
    graded.fiscal_year,
    graded.source_file,
    graded.content_hash,
    graded.file_format,
    graded.report_date,
    graded.self_score,
    graded.grade,  -- normalized by the extractor (jixiao.extract.vocab.normalize_grade, spec grade_labels)
    coalesce(graded.grade_label_zh, graded.grade) as grade_label_zh,
    graded.grade_rule,
    graded.indicator_total_weight,
    graded.indicator_total_score,
    graded.ocr_confidence,
    graded.status,
    graded.status_reason,
    graded.department_name,
    graded.unit_name,
    graded.province,
    graded.city,
    graded.county,
    graded.county_code,
    graded.township,
    coalesce(graded.document_kind, 'other') as document_kind,
    graded.source_url,
    graded.published_date
from graded
