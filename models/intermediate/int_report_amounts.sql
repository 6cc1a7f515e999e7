-- Every amount each report states, in one long shape for the parts-vs-total checks: one row per
-- report × fact table × fiscal_year × phase × key (key = item:scope, or category:all for 三公经费).
-- Checks compare a report with itself, so no cross-report resolution happens here.
select report_id, fiscal_year, 'fct_budget' as fact_table, phase, item || ':' || scope as key, amount_wan
from {{ ref('stg_landed__budget') }}
union all
select report_id, fiscal_year, 'fct_spending' as fact_table, 'actual' as phase, item || ':' || scope as key, amount_wan
from {{ ref('stg_landed__spending') }}
union all
select report_id, fiscal_year, 'fct_three_public_expenses' as fact_table, phase, category || ':all' as key, amount_wan
from {{ ref('stg_landed__three_public') }}
