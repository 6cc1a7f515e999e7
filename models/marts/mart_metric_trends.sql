-- Long form for trend work: one row per department × metric × fiscal_year with the value, the
-- unit's value of the previous fiscal year and the change.  Every budget (item × phase × scope),
-- spending (item × scope), 三公 (category × phase), staffing (metric) and score measure of the
-- fact tables is a metric; its code reads <family>.<…codes> (budget.adjusted_budget.total.all,
-- spending.basic.all, three_public.actual.reception, staffing.authorized, score.self_score).
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ delete_changed([('department_id', 'departments')]) }}"
) }}
-- changed_reports comes first through the fact tables this mart reads
with measures as (
    select department_id, fiscal_year, 'budget' as measure_family,
           'budget.' || phase || '.' || item || '.' || scope as metric,
           item as code, phase, scope, {{ wan('amount_wan') }} as value
    from {{ ref('fct_budget') }}
    union all
    select department_id, fiscal_year, 'spending',
           'spending.' || item || '.' || scope, item, null, scope, {{ wan('amount_wan') }}
    from {{ ref('fct_spending') }}
    union all
    select department_id, fiscal_year, 'three_public',
           'three_public.' || phase || '.' || category, category, phase, null, {{ wan('amount_wan') }}
    from {{ ref('fct_three_public_expenses') }}
    union all
    select department_id, fiscal_year, 'staffing',
           'staffing.' || metric, metric, null, null, cast(headcount as decimal(18, 4))
    from {{ ref('fct_staffing') }}
    union all
    select department_id, fiscal_year, 'score', 'score.self_score', 'self_score', null, null,
           cast(self_score as decimal(18, 4))
    from {{ ref('mart_department_year') }}
    where self_score is not null
),

kept as (
    select * from measures where department_id is not null and fiscal_year is not null and value is not null
        and {{ changed_only([('department_id', 'departments')]) }}
),

with_prior as (
    select
        kept.*,
        prior.value as prior_value
    from kept
    left join kept as prior
        on prior.department_id = kept.department_id
        and prior.metric = kept.metric
        and prior.fiscal_year = kept.fiscal_year - 1
),

code_labels as (
    select * from {{ ref('ref_code_labels') }}
)

select
    m.department_id,
    m.metric,
    m.fiscal_year,
    d.department_name,
    d.province,
    d.city,
    d.county,
    m.measure_family,
    family.label_zh as measure_family_label_zh,
    m.code,
    m.phase,
    m.scope,
    -- 预算·全年预算数·年度资金总额, 支出·基本支出, 三公经费·决算数·公务接待费, 人员·编制数, 自评得分
    concat_ws('·',
        family.label_zh,
        phase_label.label_zh,
        case when m.measure_family <> 'score' then code_label.label_zh end,
        case when m.scope <> 'all' then scope_label.label_zh end
    ) as metric_label_zh,
    case when m.measure_family = 'score' then family.label_zh else code_label.label_zh end as code_label_zh,
    phase_label.label_zh as phase_label_zh,
    family_seed.unit_zh,
    m.value,
    m.prior_value,
    {{ change('m.value', 'm.prior_value') }} as change,
    {{ change_pct('m.value', 'm.prior_value') }} as change_pct
from with_prior as m
left join {{ ref('dim_department') }} as d on d.department_id = m.department_id
left join code_labels as family on family.vocabulary = 'measure_family' and family.code = m.measure_family
left join {{ ref('ref_measure_families') }} as family_seed on family_seed.measure_family = m.measure_family
left join code_labels as phase_label on phase_label.vocabulary = 'phase' and phase_label.code = m.phase
left join code_labels as code_label
    on code_label.code = m.code
    and code_label.vocabulary = case m.measure_family
        when 'budget' then 'item' when 'spending' then 'item'
        when 'three_public' then 'category' when 'staffing' then 'metric' end
left join code_labels as scope_label on scope_label.vocabulary = 'scope' and scope_label.code = m.scope
