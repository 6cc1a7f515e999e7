-- One row per ingested document, with its department identity and its grade normalized.
-- department_id = stable hash of the extractor's unit_key (current division code / own name), so that
-- 武阳镇人民政府 and 绥宁县武阳镇人民政府 of the same county are one unit, a unit keeps its id when its
-- county is renamed (湟中县 → 湟中区), and namesakes elsewhere are not merged; without a unit_key (a
-- place the gazetteer cannot settle), the hash of (province, city, county, unit name without those prefixes).
-- A loaded report that names no unit gets a unit of its own (department_status 'unknown', keyed by
-- the report), so that two such reports never merge.
with reports as (
    select * from {{ ref('stg_landed__reports') }}
),

grade_labels as (
    select label_zh, grade from {{ ref('ref_grade_labels') }}
),

without_province as (
    select
        reports.*,
        case when province is not null and starts_with(department_name, province)
             then substr(department_name, length(province) + 1) else department_name end as name_1
    from reports
),

without_city as (
    select
        without_province.*,
        case when city is not null and starts_with(name_1, city)
             then substr(name_1, length(city) + 1) else name_1 end as name_2
    from without_province
),

unit_named as (
    select
        without_city.*,
        nullif(case when county is not null and starts_with(name_2, county)
                    then substr(name_2, length(county) + 1) else name_2 end, '') as unit_name
    from without_city
),

graded as (
    select
        unit_named.*,
        regexp_extract(coalesce(grade, ''), '(优秀|良好|中等|一般|较差|不合格|合格|优|良|中|差)') as grade_token,
        regexp_extract(coalesce(grade_label_zh, ''), '(优秀|良好|中等|一般|较差|不合格|合格|优|良|中|差)') as label_token
    from unit_named
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
    coalesce(from_grade.grade, from_label.grade) as grade,
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
left join grade_labels as from_grade on from_grade.label_zh = nullif(graded.grade_token, '')
left join grade_labels as from_label on from_label.label_zh = nullif(graded.label_token, '')
