{#- Year attribution and cross-report resolution (docs/CONTRACT.md, "Facts").

    rank_across_reports: every statement of a fact by a loaded report, with the unit's
    department_id, the report's source_file and a preference_rank within its grain
    (department × fiscal_year × grain): 1 = the report whose own fiscal_year equals the fact's
    year, else the newest report (highest report fiscal_year, then latest report_date).
    A fact of no stated year (fiscal_year NULL) is its report's own: it is never ranked against,
    nor conflicts with, another report's statement. -#}
{% macro rank_across_reports(statements, grain) -%}
select
    s.*,
    r.department_id,
    r.fiscal_year as report_fiscal_year,
    r.report_date,
    r.source_file,
    count(*) over (partition by {{ fact_partition('r', 's', grain) }}) as n_reports_stating,
    row_number() over (
        partition by {{ fact_partition('r', 's', grain) }}
        order by coalesce(r.fiscal_year = s.fiscal_year, false) desc,
                 r.fiscal_year desc nulls last,
                 r.report_date desc nulls last,
                 s.report_id
    ) as preference_rank
from {{ statements }} as s
inner join {{ ref('int_reports') }} as r on r.report_id = s.report_id
where r.status = 'loaded' and r.department_id is not null
{%- endmacro %}


{#- Window partition of one fact's statements: department × fiscal_year × grain, and the report
    itself when the fact's year is not stated (NULL years of two reports are not the same year). -#}
{% macro fact_partition(reports, statements, grain) -%}
    {{ reports }}.department_id, {{ statements }}.fiscal_year,
    case when {{ statements }}.fiscal_year is null then {{ statements }}.report_id end
    {%- for g in grain %}, {{ statements }}.{{ g }}{% endfor %}
{%- endmacro %}


{#- One row per (statement not kept, value column) whose value differs from the kept statement's
    beyond the rounding envelope.  `what` is a SQL expression over alias k describing the fact. -#}
{% macro cross_report_conflicts(ranked, fact_table, grain, value_cols, what) -%}
{#- an incremental build compares the statements of the changed reports' departments only -#}
{%- set statements = ranked if not building_changed_only()
    else '(select * from ' ~ ranked ~ ' where department_id in ' ~ changed_keys('departments') ~ ')' -%}
{%- for v in value_cols %}
select
    o.report_id,
    k.report_id as kept_report_id,
    k.department_id,
    k.fiscal_year,
    '{{ fact_table }}' as fact_table,
    '{{ v }}' as value_column,
    {{ what }} as what,
    cast(o.{{ v }} as double) as other_value,
    cast(k.{{ v }} as double) as kept_value
from {{ statements }} as k
inner join {{ statements }} as o
    on o.department_id = k.department_id
    and o.fiscal_year = k.fiscal_year
    {%- for g in grain %}
    and o.{{ g }} is not distinct from k.{{ g }}
    {%- endfor %}
    and o.preference_rank > 1
    and o.report_id <> k.report_id
where k.preference_rank = 1
    and {{ differs('o.' ~ v, 'k.' ~ v) }}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{%- endmacro %}


{#- Chinese label of a phase code. -#}
{% macro phase_label(phase) -%}
    (case {{ phase }}
        when 'initial_budget' then '年初预算数'
        when 'adjusted_budget' then '全年预算数'
        when 'budget' then '预算数'
        when 'actual' then '决算数'
        else {{ phase }} end)
{%- endmacro %}
