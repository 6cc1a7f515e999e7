-- Findings on what a loaded report does not say about itself (one row per report × missing field):
-- no fiscal year (missing_fiscal_year: its facts keep the years their own columns or sentences state,
-- else NULL) and no budget unit (missing_budget_unit: the report gets a unit of its own, marked unknown).
select
    report_id,
    fiscal_year,
    'missing_fiscal_year' as "check",
    'warn' as severity,
    '报告未写明所评价的年度（the report names no fiscal year）：其数据只取各栏目或语句自己写明的年度，未写明者年度为空。' as message,
    '（空）' as observed,
    '评价年度' as expected
from {{ ref('int_reports') }}
where status = 'loaded' and fiscal_year is null

union all

select
    report_id,
    fiscal_year,
    'missing_budget_unit' as "check",
    'warn' as severity,
    '报告未写明预算单位（the report names no budget unit）：其数据归入一个单独的“未知单位”（department_status = unknown），不与其他报告合并。' as message,
    '（空）' as observed,
    '预算单位名称' as expected
from {{ ref('int_reports') }}
where status = 'loaded' and department_status = 'unknown'
