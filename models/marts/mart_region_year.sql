-- Regions compared over the years: one row per region × fiscal_year, at three levels
-- (region_level county: province × city × county; city: province × city; province).  Sums run
-- over the units that state the figure (n_units_* says how many); per-head figures divide the
-- spending (三公) of the units stating both it and their actual headcount by those units' headcount.
{%- set sums = ['initial_budget_wan', 'adjusted_budget_wan', 'budget_wan', 'execution_budget_wan',
                'spending_total_wan', 'spending_basic_wan', 'spending_project_wan',
                'three_public_budget_wan', 'three_public_actual_wan',
                'headcount_authorized', 'headcount_actual'] %}
{%- set medians = ['spending_total_wan', 'three_public_actual_wan', 'execution_rate',
                   'headcount_actual', 'self_score'] %}
with unit_year as (
    select
        *,
        case when headcount_actual > 0 and spending_total_wan is not null then spending_total_wan end
            as spending_with_head_wan,
        case when headcount_actual > 0 and spending_total_wan is not null then headcount_actual end
            as head_with_spending,
        case when headcount_actual > 0 and three_public_actual_wan is not null then three_public_actual_wan end
            as three_public_with_head_wan,
        case when headcount_actual > 0 and three_public_actual_wan is not null then headcount_actual end
            as head_with_three_public
    from {{ ref('mart_department_year') }}
),

grouped as (
    select
        case
            when grouping(county) = 0 then 'county'
            when grouping(city) = 0 then 'city'
            else 'province'
        end as region_level,
        province,
        city,
        county,
        fiscal_year,
        count(distinct department_id) as n_reporting_units,
        count(distinct report_id) as n_units_with_own_report,
        {%- for col in sums %}
        {%- if col.endswith('_wan') %}
        cast(sum({{ col }}) as decimal(18, 4)) as {{ col[:-4] }}_sum_wan,
        {%- else %}
        cast(sum({{ col }}) as bigint) as {{ col }}_sum,
        {%- endif %}
        count({{ col }}) as n_units_{{ col | replace('_wan', '') }},
        {%- endfor %}
        {%- for col in medians %}
        {%- if col.endswith('_wan') %}
        cast(median({{ col }}) as decimal(18, 4)) as {{ col[:-4] }}_median_wan,
        {%- else %}
        median({{ col }}) as {{ col }}_median,
        {%- endif %}
        {%- endfor %}
        avg(self_score) as self_score_mean,
        sum(spending_with_head_wan) as spending_with_head_wan,
        sum(head_with_spending) as head_with_spending,
        sum(three_public_with_head_wan) as three_public_with_head_wan,
        sum(head_with_three_public) as head_with_three_public
    from unit_year
    group by grouping sets (
        (province, city, county, fiscal_year),
        (province, city, fiscal_year),
        (province, fiscal_year)
    )
)

select
    region_level,
    concat_ws(' / ', coalesce(province, '（未知省份）'),
              case when region_level in ('city', 'county') then coalesce(city, '（未知市）') end,
              case when region_level = 'county' then coalesce(county, '（未知县区）') end) as region_name,
    * exclude (region_level, spending_with_head_wan, head_with_spending, three_public_with_head_wan,
               head_with_three_public),
    case when head_with_spending > 0
         then cast(spending_with_head_wan / head_with_spending as decimal(18, 4)) end
        as spending_per_actual_head_wan,
    case when head_with_three_public > 0
         then cast(three_public_with_head_wan / head_with_three_public as decimal(18, 4)) end
        as three_public_per_actual_head_wan
from grouped
