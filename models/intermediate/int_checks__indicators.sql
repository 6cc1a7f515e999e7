-- Findings on a report's indicator table (one row per report × rule, or per report × heading):
-- weights vs 总分 (indicator_weights_sum), weights vs each first-level heading's points
-- (indicator_heading_points), scores vs the stated self-evaluation score and the table's total score
-- (indicator_scores_sum).  Rows without a weight (or score) are left out of that sum, never taken as 0.
-- The report's totals are those of its main table: the unit-wide one, or its only project table;
-- headings are checked within each table (project_name).
with indicators as (
    select * from {{ ref('stg_landed__indicator_scores') }}
),

main_table_rows as (
    select i.*
    from indicators as i
    qualify i.project_name is null
        or count(distinct coalesce(i.project_name, '')) over (partition by i.report_id) = 1
),

reports as (
    select report_id, self_score, indicator_total_weight, indicator_total_score
    from {{ ref('int_reports') }}
),

per_report as (
    select
        i.report_id,
        max(i.fiscal_year) as fiscal_year,
        count(*) as n_rows,
        count(i.weight) as n_weighted,
        sum(i.weight) as weight_sum,
        count(i.score) as n_scored,
        sum(i.score) as score_sum
    from main_table_rows as i
    group by i.report_id
),

per_heading as (
    select
        i.report_id,
        max(i.fiscal_year) as fiscal_year,
        i.project_name,
        i.level1_name,
        max(i.level1_points) as level1_points,
        count(*) as n_rows,
        count(i.weight) as n_weighted,
        sum(i.weight) as weight_sum,
        string_agg(i.indicator_name || ' ' || {{ fmt_num('i.weight') }}, '、') filter (where i.weight is not null) as weights_text
    from indicators as i
    where i.level1_name is not null
    group by i.report_id, i.project_name, i.level1_name
),

score_totals as (
    -- the table's 总分 得分 row, and the self-evaluation score when it says something else
    select report_id, '指标表总分行得分' as total_text, indicator_total_score as total from reports
    where indicator_total_score is not null
    union all
    select report_id, '报告自评得分' as total_text, self_score as total from reports
    where self_score is not null
        and (indicator_total_score is null or abs(indicator_total_score - self_score) > {{ tolerance() }})
),

weights_vs_total as (
    select
        p.report_id,
        p.fiscal_year,
        'indicator_weights_sum' as "check",
        'error' as severity,
        '指标分值合计 ' || {{ fmt_num('p.weight_sum') }} || ' 分（' || cast(p.n_weighted as varchar) || ' 个有分值的指标），与指标表总分 '
            || {{ fmt_num('r.indicator_total_weight') }} || ' 分不符（相差 ' || {{ fmt_num('p.weight_sum - r.indicator_total_weight') }} || ' 分）。' as message,
        {{ fmt_num('p.weight_sum') }} as observed,
        {{ fmt_num('r.indicator_total_weight') }} as expected
    from per_report as p
    inner join reports as r on r.report_id = p.report_id
    where {{ parts_contradict_total('r.indicator_total_weight', 'p.weight_sum', 'p.n_weighted', 'p.n_rows') }}
),

weights_vs_heading as (
    select
        h.report_id,
        h.fiscal_year,
        'indicator_heading_points' as "check",
        'error' as severity,
        coalesce('项目“' || h.project_name || '”的', '') || h.level1_name || '标明 ' || {{ fmt_num('h.level1_points') }} || ' 分，但其下指标分值合计 '
            || {{ fmt_num('h.weight_sum') }} || ' 分（' || h.weights_text || '）。' as message,
        {{ fmt_num('h.weight_sum') }} as observed,
        {{ fmt_num('h.level1_points') }} as expected
    from per_heading as h
    where {{ parts_contradict_total('h.level1_points', 'h.weight_sum', 'h.n_weighted', 'h.n_rows') }}
),

scores_vs_total as (
    select
        p.report_id,
        p.fiscal_year,
        'indicator_scores_sum' as "check",
        'error' as severity,
        '指标得分合计 ' || {{ fmt_num('p.score_sum') }} || ' 分（' || cast(p.n_scored as varchar) || ' 个有得分的指标'
            || case when p.n_scored < p.n_rows then '，' || cast(p.n_rows - p.n_scored as varchar) || ' 个指标未填得分' else '' end
            || '），与' || t.total_text || ' ' || {{ fmt_num('t.total') }} || ' 分不符（相差 ' || {{ fmt_num('p.score_sum - t.total') }} || ' 分）。' as message,
        {{ fmt_num('p.score_sum') }} as observed,
        {{ fmt_num('t.total') }} as expected
    from per_report as p
    inner join score_totals as t on t.report_id = p.report_id
    where {{ parts_contradict_total('t.total', 'p.score_sum', 'p.n_scored', 'p.n_rows') }}
)

select * from weights_vs_total
union all
select * from weights_vs_heading
union all
select * from scores_vs_total
