-- One row per landed report: a fingerprint of everything landed for it (its row in landed_reports,
-- every fact row, every finding), and its department_id.  Two builds see the same fingerprint for
-- a report exactly when the same rows were landed for it (changed_reports compares them).
with landed_rows as (
    {%- for seed in ['landed_reports', 'landed_budget', 'landed_spending', 'landed_three_public', 'landed_staffing',
                     'landed_projects', 'landed_indicator_scores', 'landed_budget_by_function', 'landed_findings'] %}
    select report_id, '{{ seed }}' as seed, hash(t) as row_hash from {{ ref(seed) }} as t
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

per_report as (
    select
        report_id,
        -- order-insensitive, and a row landed twice is not the same as once
        string_agg(distinct seed, ',' order by seed) || ':' || cast(count(*) as varchar) || ':'
            || cast(sum(row_hash) as varchar) as fingerprint
    from landed_rows
    group by report_id
)

select
    r.report_id,
    p.fingerprint,
    r.department_id
from {{ ref('int_reports') }} as r
left join per_report as p on p.report_id = r.report_id
