{#- One finding per (report, fiscal_year, phase) whose stated parts contradict their stated total.

    amounts: relation with report_id, fiscal_year, fact_table, phase, key, amount_wan
             (key = item:scope or category:all, as built by int_report_amounts).
    A finding is raised (severity error) when the total and every part are stated and they differ
    beyond the rounding envelope, or when the stated parts alone exceed the total.  With
    min_parts < number of parts, a breakdown of at least min_parts stated parts that falls short of
    the total is raised as a warning (the report presents those parts as its breakdown).
    fallback_keys: parts whose sum stands in for the total when the report states no total. -#}
{% macro parts_total_check(amounts, check, fact_table, subject, total_key, total_label, parts,
                           min_parts=none, fallback_keys=none, fallback_label=none) -%}
{%- set part_keys = parts.keys() | list -%}
{%- set n = part_keys | length -%}
{%- set part_cols = [] -%}{%- for k in part_keys %}{% do part_cols.append('p_' ~ loop.index) %}{% endfor -%}
{%- set fb_cols = [] -%}{%- for k in (fallback_keys or []) %}{% do fb_cols.append('f_' ~ loop.index) %}{% endfor -%}
select
    report_id,
    fiscal_year,
    '{{ check }}' as "check",
    case when n_present = {{ n }} or parts_sum > total + {{ tolerance() }} then 'error' else 'warn' end as severity,
    {{ year_text('fiscal_year') }} || '{{ subject }}（' || {{ phase_label('phase') }} || '）：'
        || concat_ws(' + '{% for k in part_keys %}, case when p_{{ loop.index }} is not null then '{{ parts[k] }} ' || {{ fmt_num('p_' ~ loop.index) }} end{% endfor %})
        || ' = ' || {{ fmt_num('parts_sum') }} || ' 万元，与' || total_text || ' ' || {{ fmt_num('total') }}
        || ' 万元不符（相差 ' || {{ fmt_num('parts_sum - total') }} || ' 万元）'
        || case when n_present < {{ n }} then '；另有 ' || cast({{ n }} - n_present as varchar) || ' 个分项未填报，不计为0' else '' end
        || '。' as message,
    {{ fmt_num('parts_sum') }} as observed,
    {{ fmt_num('total') }} as expected
from (
    select
        g.*,
        {{ sum_present(part_cols) }} as parts_sum,
        {{ count_present(part_cols) }} as n_present,
        {%- if fallback_keys %}
        coalesce(t_total, case when {{ count_present(fb_cols) }} = {{ fb_cols | length }} then {{ sum_present(fb_cols) }} end) as total,
        case when t_total is null then '{{ fallback_label }}' else '{{ total_label }}' end as total_text
        {%- else %}
        t_total as total,
        '{{ total_label }}' as total_text
        {%- endif %}
    from (
        select
            report_id,
            fiscal_year,
            phase,
            max(amount_wan) filter (where key = '{{ total_key }}') as t_total
            {%- for k in part_keys %},
            max(amount_wan) filter (where key = '{{ k }}') as p_{{ loop.index }}
            {%- endfor %}
            {%- for k in (fallback_keys or []) %},
            max(amount_wan) filter (where key = '{{ k }}') as f_{{ loop.index }}
            {%- endfor %}
        from {{ amounts }}
        where fact_table = '{{ fact_table }}'
        group by report_id, fiscal_year, phase
    ) as g
) as c
where {{ parts_contradict_total('total', 'parts_sum', 'n_present', n) }}
{%- if min_parts is not none and min_parts < n %}
    or (total is not null and n_present >= {{ min_parts }} and n_present < {{ n }}
        and abs(parts_sum - total) > {{ tolerance() }})
{%- endif %}
{%- endmacro %}
