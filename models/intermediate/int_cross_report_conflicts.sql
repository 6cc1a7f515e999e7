-- One row per fact value that two reports state differently (beyond the rounding envelope) for the
-- same unit, year and grain: the report whose value was set aside (report_id) and the report kept.
-- Rebuilt per department on incremental builds (macros/incremental.sql).
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ delete_changed([('department_id', 'departments')]) }}"
) }}
-- depends_on: {{ ref('changed_reports') }}
with conflicts as (
    {{ cross_report_conflicts(ref('int_budget__ranked'), 'fct_budget', ['item', 'phase', 'scope'], ['amount_wan'],
        "'预算 ' || coalesce(k.item_label_zh, k.item) || '（' || " ~ phase_label('k.phase') ~ " || case when k.scope <> 'all' then '，' || k.scope || ' 部分' else '' end || '）'") }}
    union all
    {{ cross_report_conflicts(ref('int_spending__ranked'), 'fct_spending', ['item', 'scope'], ['amount_wan'],
        "'支出 ' || coalesce(k.item_label_zh, k.item) || case when k.scope <> 'all' then '（' || k.scope || ' 部分）' else '' end") }}
    union all
    {{ cross_report_conflicts(ref('int_three_public__ranked'), 'fct_three_public_expenses', ['category', 'phase'], ['amount_wan'],
        "'三公经费 ' || coalesce(k.category_label_zh, k.category) || '（' || " ~ phase_label('k.phase') ~ " || '）'") }}
    union all
    {{ cross_report_conflicts(ref('int_staffing__ranked'), 'fct_staffing', ['metric'], ['headcount'],
        "'人员 ' || coalesce(k.metric_label_zh, k.metric)") }}
    union all
    {{ cross_report_conflicts(ref('int_projects__ranked'), 'fct_projects', ['project_name'], ['budget_wan', 'initial_budget_wan', 'actual_wan', 'self_score'],
        "'项目 ' || k.project_name") }}
    union all
    {{ cross_report_conflicts(ref('int_budget_by_function__ranked'), 'fct_budget_by_function', ['phase', 'subject_key'], ['total_wan', 'basic_wan', 'project_wan'],
        "'功能分类 ' || concat_ws(' ', k.subject_code, k.subject_name) || '（' || " ~ phase_label('k.phase') ~ " || '）'") }}
    union all
    {{ cross_report_conflicts(ref('int_indicator_scores__ranked'), 'fct_indicator_scores', ['project_name', 'level1', 'indicator_name'], ['weight', 'score'],
        "'绩效指标 ' || coalesce(k.project_name || ' ', '') || k.indicator_name") }}
)

select
    conflicts.*,
    other_report.source_file as other_source_file,
    other_report.fiscal_year as other_report_fiscal_year,
    kept_report.source_file as kept_source_file,
    kept_report.fiscal_year as kept_report_fiscal_year
from conflicts
inner join {{ ref('int_reports') }} as other_report on other_report.report_id = conflicts.report_id
inner join {{ ref('int_reports') }} as kept_report on kept_report.report_id = conflicts.kept_report_id
