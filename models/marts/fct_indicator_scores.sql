-- The indicator rows of the preferred report for each department × fiscal_year.
select
    department_id,
    fiscal_year,
    report_id,
    level1_name,
    level1,
    level1_points,
    level2_name,
    level2,
    indicator_name,
    target_value,
    actual_value,
    weight,
    score,
    deviation_note,
    source_kind,
    prov_block,
    prov_row,
    prov_text
from {{ ref('int_indicator_scores__ranked') }}
where report_rank = 1
