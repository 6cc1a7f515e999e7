-- One row per department × fiscal_year: headline budget, spending, 三公 and staffing figures.
-- Totals use scope 'all' only; phases are never summed (each has its own column).
with budget as (
    select
        department_id,
        fiscal_year,
        max(amount_wan) filter (where phase = 'initial_budget') as initial_budget_wan,
        max(amount_wan) filter (where phase = 'adjusted_budget') as adjusted_budget_wan,
        max(amount_wan) filter (where phase = 'budget') as budget_wan
    from {{ ref('fct_budget') }}
    where item = 'total' and scope = 'all'
    group by department_id, fiscal_year
),

spending as (
    select
        department_id,
        fiscal_year,
        max(amount_wan) filter (where item = 'total') as spending_total_wan,
        max(amount_wan) filter (where item = 'basic') as spending_basic_wan,
        max(amount_wan) filter (where item = 'project') as spending_project_wan
    from {{ ref('fct_spending') }}
    where scope = 'all'
    group by department_id, fiscal_year
),

three_public as (
    select
        department_id,
        fiscal_year,
        max(amount_wan) filter (where phase = 'budget') as three_public_budget_wan,
        max(amount_wan) filter (where phase = 'actual') as three_public_actual_wan
    from {{ ref('fct_three_public_expenses') }}
    where category = 'total'
    group by department_id, fiscal_year
),

staffing as (
    select
        department_id,
        fiscal_year,
        max(headcount) filter (where metric = 'authorized') as headcount_authorized,
        max(headcount) filter (where metric = 'actual') as headcount_actual
    from {{ ref('fct_staffing') }}
    group by department_id, fiscal_year
),

own_report as (
    -- the report evaluating this very year (the latest signed one if there are several)
    select department_id, fiscal_year, report_id, self_score, grade
    from {{ ref('dim_report') }}
    where status = 'loaded' and department_id is not null and fiscal_year is not null
    qualify row_number() over (
        partition by department_id, fiscal_year order by report_date desc nulls last, report_id
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
    select * from spine where fiscal_year is not null
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
        staffing.headcount_authorized,
        staffing.headcount_actual,
        own_report.self_score,
        own_report.grade,
        own_report.report_id
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
    current_year.initial_budget_wan,
    current_year.adjusted_budget_wan,
    current_year.budget_wan,
    current_year.spending_total_wan,
    current_year.spending_basic_wan,
    current_year.spending_project_wan,
    case when current_year.adjusted_budget_wan > 0
         then current_year.spending_total_wan / current_year.adjusted_budget_wan end as execution_rate,
    current_year.three_public_budget_wan,
    current_year.three_public_actual_wan,
    case when previous_year.three_public_actual_wan > 0
         then 100.0 * (current_year.three_public_actual_wan - previous_year.three_public_actual_wan)
              / previous_year.three_public_actual_wan end as three_public_actual_yoy_pct,
    current_year.headcount_authorized,
    current_year.headcount_actual,
    current_year.self_score,
    current_year.grade,
    current_year.report_id
from joined as current_year
left join joined as previous_year
    on previous_year.department_id = current_year.department_id
    and previous_year.fiscal_year = current_year.fiscal_year - 1
