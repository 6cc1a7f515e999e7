-- Findings where a 功能分类科目 subtotal differs from the sum of the sub-items the report lists under it
-- (function_subtotal_mismatch): 合计 vs the 3-digit 类, a 类 vs its 5-digit 款, a 款 vs its 7-digit 项.
-- One row per report × fiscal_year × phase × subtotal × column (total/basic/project).
with lines as (
    select * from {{ ref('stg_landed__budget_by_function') }}
),

children as (
    select
        parent.report_id,
        parent.fiscal_year,
        parent.phase,
        parent.subject_code,
        coalesce(parent.subject_name, parent.subject_code) as subject_label,
        {%- for col in ['total_wan', 'basic_wan', 'project_wan'] %}
        max(parent.{{ col }}) as parent_{{ col }},
        sum(child.{{ col }}) as children_{{ col }},
        count(child.{{ col }}) as n_{{ col }},
        {%- endfor %}
        count(*) as n_children
    from lines as parent
    inner join lines as child
        on child.report_id = parent.report_id
        and child.fiscal_year is not distinct from parent.fiscal_year
        and child.phase = parent.phase
        and (
            (parent.subject_code = '合计' and regexp_matches(child.subject_code, '^[0-9]{3}$'))
            or (regexp_matches(parent.subject_code, '^[0-9]+$')
                and regexp_matches(child.subject_code, '^[0-9]+$')
                and length(child.subject_code) = length(parent.subject_code) + 2
                and starts_with(child.subject_code, parent.subject_code))
        )
    group by parent.report_id, parent.fiscal_year, parent.phase, parent.subject_code, coalesce(parent.subject_name, parent.subject_code)
)

{% for col, label in [('total_wan', '合计'), ('basic_wan', '基本支出'), ('project_wan', '项目支出')] %}
select
    report_id,
    fiscal_year,
    'function_subtotal_mismatch' as "check",
    'warn' as severity,
    {{ year_text('fiscal_year') }} || {{ phase_label('phase') }} || '功能分类“' || subject_code || ' ' || subject_label
        || '”的{{ label }}为 ' || {{ fmt_num('parent_' ~ col) }} || ' 万元，而其下级科目{{ label }}之和为 '
        || {{ fmt_num('children_' ~ col) }} || ' 万元（相差 ' || {{ fmt_num('children_' ~ col ~ ' - parent_' ~ col) }} || ' 万元）。' as message,
    {{ fmt_num('children_' ~ col) }} as observed,
    {{ fmt_num('parent_' ~ col) }} as expected
from children
where n_{{ col }} = n_children and {{ differs('children_' ~ col, 'parent_' ~ col) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
