-- Findings where a report's parts do not add up to its own total (one row per report × fiscal_year
-- × phase × rule): 三公 categories, basic + project, funds by source, economic items within basic/project.
{% set amounts = ref('int_report_amounts') %}

{{ parts_total_check(amounts, 'three_public_parts_sum', 'fct_three_public_expenses', '三公经费', 'total:all', '三公经费合计',
    {'reception:all': '公务接待费', 'vehicle_total:all': '公务用车购置及运行维护费', 'overseas_travel:all': '因公出国(境)费'}) }}

union all

{{ parts_total_check(amounts, 'three_public_parts_sum', 'fct_three_public_expenses', '公务用车', 'vehicle_total:all', '公务用车购置及运行维护费',
    {'vehicle_purchase:all': '公务用车购置费', 'vehicle_operation:all': '公务用车运行维护费'}) }}

union all

{{ parts_total_check(amounts, 'basic_project_sum', 'fct_budget', '基本支出与项目支出', 'total:all', '总额',
    {'basic:all': '基本支出', 'project:all': '项目支出'}) }}

union all

{{ parts_total_check(amounts, 'funds_by_source_sum', 'fct_budget', '资金来源', 'total:all', '总额',
    {'fund_general_public:all': '一般公共预算', 'fund_government_fund:all': '政府性基金', 'fund_state_capital:all': '国有资本经营预算', 'fund_social_insurance:all': '社会保险基金预算', 'fund_special_nontax:all': '纳入专户管理的非税收入', 'fund_higher_level:all': '上级补助收入', 'fund_other:all': '其他资金'},
    fallback_keys=['basic:all', 'project:all'], fallback_label='基本支出 + 项目支出') }}

union all

{{ parts_total_check(amounts, 'economic_items_sum', 'fct_budget', '基本支出经济分类', 'basic:all', '基本支出',
    {'wages_welfare:basic': '工资福利支出', 'goods_services:basic': '商品和服务支出', 'household_subsidies:basic': '对个人和家庭的补助', 'enterprise_subsidies:basic': '对企业补助', 'capital:basic': '资本性支出', 'capital_construction:basic': '基本建设支出', 'debt_interest:basic': '债务利息及费用支出'},
    min_parts=2) }}

union all

{{ parts_total_check(amounts, 'economic_items_sum', 'fct_budget', '项目支出经济分类', 'project:all', '项目支出',
    {'wages_welfare:project': '工资福利支出', 'goods_services:project': '商品和服务支出', 'household_subsidies:project': '对个人和家庭的补助', 'enterprise_subsidies:project': '对企业补助', 'capital:project': '资本性支出', 'capital_construction:project': '基本建设支出', 'debt_interest:project': '债务利息及费用支出'},
    min_parts=2) }}

union all

{{ parts_total_check(amounts, 'basic_project_sum', 'fct_spending', '基本支出与项目支出', 'total:all', '总额',
    {'basic:all': '基本支出', 'project:all': '项目支出'}) }}

union all

{{ parts_total_check(amounts, 'funds_by_source_sum', 'fct_spending', '资金来源', 'total:all', '总额',
    {'fund_general_public:all': '一般公共预算', 'fund_government_fund:all': '政府性基金', 'fund_state_capital:all': '国有资本经营预算', 'fund_social_insurance:all': '社会保险基金预算', 'fund_special_nontax:all': '纳入专户管理的非税收入', 'fund_higher_level:all': '上级补助收入', 'fund_other:all': '其他资金'},
    fallback_keys=['basic:all', 'project:all'], fallback_label='基本支出 + 项目支出') }}

union all

{{ parts_total_check(amounts, 'economic_items_sum', 'fct_spending', '基本支出经济分类', 'basic:all', '基本支出',
    {'wages_welfare:basic': '工资福利支出', 'goods_services:basic': '商品和服务支出', 'household_subsidies:basic': '对个人和家庭的补助', 'enterprise_subsidies:basic': '对企业补助', 'capital:basic': '资本性支出', 'capital_construction:basic': '基本建设支出', 'debt_interest:basic': '债务利息及费用支出'},
    min_parts=2) }}

union all

{{ parts_total_check(amounts, 'economic_items_sum', 'fct_spending', '项目支出经济分类', 'project:all', '项目支出',
    {'wages_welfare:project': '工资福利支出', 'goods_services:project': '商品和服务支出', 'household_subsidies:project': '对个人和家庭的补助', 'enterprise_subsidies:project': '对企业补助', 'capital:project': '资本性支出', 'capital_construction:project': '基本建设支出', 'debt_interest:project': '债务利息及费用支出'},
    min_parts=2) }}
