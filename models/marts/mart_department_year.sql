-- One row per department × fiscal_year: headline budget, spending, 三公 and staffing figures with
-- the unit's name and region, the budget execution rate with the budget it divides by, and the
-- change against the unit's previous fiscal year.  Totals use scope 'all' only; phases are never
-- summed (each has its own column).  Amounts are cast here so the mart keeps DECIMAL(18,4)
-- whatever numeric type the fact tables hold.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ delete_changed([('department_id', 'departments')]) }}"
) }}
-- changed_reports comes first through the fact tables this mart reads
{%- set categories = three_public_categories() %}
with budget as (
    select
        department_id,
        fiscal_year,
        max({{ wan('amount_wan') }}) filter (where phase = 'initial_budget') as initial_budget_wan,
        max({{ wan('amount_wan') }}) filter (where phase = 'adjusted_budget') as adjusted_budget_wan,
        max({{ wan('amount_wan') }}) filter (where phase = 'budget') as budget_wan
    from {{ ref('fct_budget') }}
    where item = 'total' and scope = 'all' and department_id is not null and fiscal_year is not null
    group by department_id, fiscal_year
),

spending as (
    select
        department_id,
        fiscal_year,
        max({{ wan('amount_wan') }}) filter (where item = 'total') as spending_total_wan,
        max({{ wan('amount_wan') }}) filter (where item = 'basic') as spending_basic_wan,
        max({{ wan('amount_wan') }}) filter (where item = 'project') as spending_project_wan
    from {{ ref('fct_spending') }}
    where scope = 'all' and department_id is not null and fiscal_year is not null
    group by department_id, fiscal_year
),

three_public as (
    select
        department_id,
        fiscal_year,
        max({{ wan('amount_wan') }}) filter (where category = 'total' and phase = 'budget') as three_public_budget_wan,
        max({{ wan('amount_wan') }}) filter (where category = 'total' and phase = 'actual') as three_public_actual_wan
        {%- for c in categories %}
        {%- for ph in ['budget', 'actual'] %},
        max({{ wan('amount_wan') }}) filter (where category = '{{ c }}' and phase = '{{ ph }}')
            as three_public_{{ c }}_{{ ph }}_wan
        {%- endfor %}
        {%- endfor %}
    from {{ ref('fct_three_public_expenses') }}
    where department_id is not null and fiscal_year is not null
    group by department_id, fiscal_year
),

staffing as (
    select
        department_id,
        fiscal_year,
        cast(max(headcount) filter (where metric = 'authorized') as integer) as headcount_authorized,
        cast(max(headcount) filter (where metric = 'actual') as integer) as headcount_actual
    from {{ ref('fct_staffing') }}
    where department_id is not null and fiscal_year is not null
    group by department_id, fiscal_year
),

own_report as (
    -- the report evaluating this very year: of several, one that states a score or grade (a budget
    -- statement of the same year states neither), the unit-wide self-evaluation before a project's
    -- 自评表, the latest signed first
    select department_id, fiscal_year, report_id, cast(self_score as decimal(9, 4)) as self_score, grade
    from {{ ref('dim_report') }}
    where status = 'loaded' and department_id is not null and fiscal_year is not null
    qualify row_number() over (
        partition by department_id, fiscal_year
        order by (self_score is null and grade is null), (document_kind is distinct from 'performance_evaluation'),
            report_date desc nulls last, report_id
    ) = 1
),

spine as (
    select department_id, fiscal_year from budget
    union
    select department_id, fiscal_year from spending
    union
    select department_id, fiscal_year from three_public
    union
    select department_id, fiscal_year from staffing
    union
    select department_id, fiscal_year from own_report
),

dated_spine as (
    -- figures of no stated year (fiscal_year NULL) have no place in a year-by-year view
    select * from spine where fiscal_year is not null and {{ changed_only([('department_id', 'departments')]) }}
),

joined as (
    select
        spine.department_id,
        spine.fiscal_year,
        budget.initial_budget_wan,
        budget.adjusted_budget_wan,
        budget.budget_wan,
        spending.spending_total_wan,
        spending.spending_basic_wan,
        spending.spending_project_wan,
        three_public.three_public_budget_wan,
        three_public.three_public_actual_wan,
        {%- for c in categories %}
        {%- for ph in ['budget', 'actual'] %}
        three_public.three_public_{{ c }}_{{ ph }}_wan,
        {%- endfor %}
        {%- endfor %}
        staffing.headcount_authorized,
        staffing.headcount_actual,
        own_report.self_score,
        own_report.grade,
        own_report.report_id,
        -- the budget execution_rate divides by: the first one stated
        case
            when budget.adjusted_budget_wan is not null then 'adjusted_budget'
            when budget.initial_budget_wan is not null then 'initial_budget'
            when budget.budget_wan is not null then 'budget'
        end as execution_rate_basis,
        coalesce(budget.adjusted_budget_wan, budget.initial_budget_wan, budget.budget_wan) as execution_budget_wan
    from dated_spine as spine
    left join budget on budget.department_id = spine.department_id and budget.fiscal_year = spine.fiscal_year
    left join spending on spending.department_id = spine.department_id and spending.fiscal_year = spine.fiscal_year
    left join three_public
        on three_public.department_id = spine.department_id and three_public.fiscal_year = spine.fiscal_year
    left join staffing on staffing.department_id = spine.department_id and staffing.fiscal_year = spine.fiscal_year
    left join own_report
        on own_report.department_id = spine.department_id and own_report.fiscal_year = spine.fiscal_year
)

select
    current_year.department_id,
    current_year.fiscal_year,
    department.department_name,
    department.department_status,
    department.province,
    department.city,
    department.county,
    department.township,
    current_year.initial_budget_wan,
    current_year.adjusted_budget_wan,
    current_year.budget_wan,
    current_year.spending_total_wan,
    current_year.spending_basic_wan,
    current_year.spending_project_wan,
    case when current_year.execution_budget_wan > 0 and current_year.spending_total_wan is not null
         then cast(current_year.spending_total_wan as double) / cast(current_year.execution_budget_wan as double)
    end as execution_rate,
    current_year.execution_rate_basis,
    basis_label.label_zh as execution_rate_basis_label_zh,
    current_year.execution_budget_wan,
    current_year.three_public_budget_wan,
    current_year.three_public_actual_wan,
    {%- for c in categories %}
    {%- for ph in ['budget', 'actual'] %}
    current_year.three_public_{{ c }}_{{ ph }}_wan,
    {%- endfor %}
    {%- endfor %}
    current_year.headcount_authorized,
    current_year.headcount_actual,
    current_year.self_score,
    current_year.grade,
    current_year.report_id,
    previous_year.fiscal_year is not null as has_previous_year,
    {%- for col in ['initial_budget_wan', 'adjusted_budget_wan', 'budget_wan', 'spending_total_wan',
                    'spending_basic_wan', 'spending_project_wan', 'three_public_budget_wan',
                    'three_public_actual_wan'] %}
    {{ yoy_columns(col) }},
    {%- endfor %}
    {%- for c in categories %}
    {%- for ph in ['budget', 'actual'] %}
    {{ yoy_columns('three_public_' ~ c ~ '_' ~ ph ~ '_wan') }},
    {%- endfor %}
    {%- endfor %}
    {{ yoy_columns('headcount_authorized') }},
    {{ yoy_columns('headcount_actual') }},
    {{ yoy_columns('self_score') }}
from joined as current_year
left join joined as previous_year
    on previous_year.department_id = current_year.department_id
    and previous_year.fiscal_year = current_year.fiscal_year - 1
left join {{ ref('dim_department') }} as department
    on department.department_id = current_year.department_id
left join {{ ref('ref_code_labels') }} as basis_label
    on basis_label.vocabulary = 'phase' and basis_label.code = current_year.execution_rate_basis
