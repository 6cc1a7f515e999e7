-- One row per finding: checks computed here on each report's own figures, cross-report
-- disagreements, and the findings the extractor raised while reading (landed_findings).  Incremental
-- builds rebuild the findings of the changed reports and the conflicts of their departments.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{% if building_changed_only() %}delete from {{ this }} where report_id in {{ changed_keys('reports') }}
        or (\"check\" = 'cross_report_conflict' and department_id in {{ changed_keys('departments') }}){% endif %}"
) }}
-- depends_on: {{ ref('changed_reports') }}
with computed as (
    select * from {{ ref('int_checks__amount_sums') }} where {{ changed_only([('report_id', 'reports')]) }}
    union all
    select * from {{ ref('int_checks__indicators') }} where {{ changed_only([('report_id', 'reports')]) }}
    union all
    select * from {{ ref('int_checks__grade') }} where {{ changed_only([('report_id', 'reports')]) }}
    union all
    select * from {{ ref('int_checks__function_subtotals') }} where {{ changed_only([('report_id', 'reports')]) }}
    union all
    select * from {{ ref('int_checks__report_identity') }} where {{ changed_only([('report_id', 'reports')]) }}
),

conflicts as (
    select
        c.report_id,
        c.fiscal_year,
        'cross_report_conflict' as "check",
        'warn' as severity,
        cast(c.fiscal_year as varchar) || '年' || c.what
            || case c.value_column
                   when 'budget_wan' then '预算数' when 'initial_budget_wan' then '年初预算数' when 'actual_wan' then '实际支出'
                   when 'self_score' then '总分'
                   when 'total_wan' then '合计' when 'basic_wan' then '基本支出' when 'project_wan' then '项目支出'
                   when 'weight' then '分值' when 'score' then '得分' else '' end
            || '：' || c.other_source_file || '（' || coalesce(cast(c.other_report_fiscal_year as varchar), '?') || '年度报告）写 '
            || {{ fmt_num('c.other_value') }} || '，' || c.kept_source_file || '（'
            || coalesce(cast(c.kept_report_fiscal_year as varchar), '?') || '年度报告）写 ' || {{ fmt_num('c.kept_value') }}
            || '；采用 ' || c.kept_source_file
            || case when c.kept_report_fiscal_year = c.fiscal_year then ' 的数（该报告评价的正是这一年）'
                    else ' 的数（较新的报告）' end || '。' as message,
        {{ fmt_num('c.other_value') }} as observed,
        {{ fmt_num('c.kept_value') }} as expected,
        c.kept_report_id as other_report_id,
        c.fact_table,
        cast(null as varchar) as prov_text,
        'dbt' as raised_by
    from {{ ref('int_cross_report_conflicts') }} as c
    where {{ changed_only([('c.department_id', 'departments')]) }}
),

from_extraction as (
    select
        f.report_id,
        r.fiscal_year,
        f."check",
        f.severity,
        f.message,
        f.observed,
        f.expected,
        cast(null as varchar) as other_report_id,
        cast(null as varchar) as fact_table,
        f.prov_text,
        'extraction' as raised_by
    from {{ ref('stg_landed__findings') }} as f
    left join {{ ref('int_reports') }} as r on r.report_id = f.report_id
    where {{ changed_only([('f.report_id', 'reports')]) }}
),

all_issues as (
    select
        report_id, fiscal_year, "check", severity, message, observed, expected,
        cast(null as varchar) as other_report_id, cast(null as varchar) as fact_table,
        cast(null as varchar) as prov_text, 'dbt' as raised_by
    from computed
    union all
    select * from conflicts
    union all
    select * from from_extraction
)

select
    substr(md5(concat_ws('|', i.report_id, i."check", i.message, coalesce(i.prov_text, ''),
                         coalesce(i.other_report_id, ''))), 1, 16) as issue_id,
    i.report_id,
    i."check",
    i.severity,
    i.message,
    i.observed,
    i.expected,
    r.department_id,
    i.fiscal_year,
    r.source_file,
    i.other_report_id,
    i.fact_table,
    i.raised_by,
    i.prov_text
from all_issues as i
left join {{ ref('int_reports') }} as r on r.report_id = i.report_id
-- the same finding raised twice (same report, check, message and place) is listed once
qualify row_number() over (partition by issue_id order by i.fiscal_year nulls last) = 1
