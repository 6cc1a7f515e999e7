-- Findings where the stated grade contradicts the stated self-evaluation score (grade_score_mismatch):
-- an error under the report's own grade rule when it states one for that grade, otherwise a warning
-- under the usual scale (优 ≥ 90, 良 80–90, 中 60–80, 差 < 60; ref_grade_scale).
with reports as (
    select report_id, fiscal_year, self_score, grade, grade_label_zh, grade_rule
    from {{ ref('int_reports') }}
    where self_score is not null and grade is not null
),

own_rules as (
    select * from {{ ref('int_report_grade_rules') }}
),

usual_scale as (
    select grade, min_score, max_score from {{ ref('ref_grade_scale') }}
),

under_own_rule as (
    select
        r.report_id,
        r.fiscal_year,
        'grade_score_mismatch' as "check",
        'error' as severity,
        '报告自评得分 ' || {{ fmt_num('r.self_score') }} || ' 分，评定等级为“' || r.grade_label_zh || '”，但按报告自己的评分规则（'
            || r.grade_rule || '），' || r.grade || ' 对应 ' || coalesce({{ fmt_num('o.min_score') }}, '') || '–'
            || coalesce({{ fmt_num('o.max_score') }}, '') || ' 分'
            || coalesce('，' || {{ fmt_num('r.self_score') }} || ' 分应为“' || fitting.grade || '”', '') || '。' as message,
        r.grade || ' ' || {{ fmt_num('r.self_score') }} as observed,
        coalesce(fitting.grade, '') as expected
    from reports as r
    inner join own_rules as o on o.report_id = r.report_id and o.grade = r.grade
    left join lateral (
        select f.grade from own_rules as f
        where f.report_id = r.report_id
            and r.self_score >= coalesce(f.min_score, -1e9) and r.self_score <= coalesce(f.max_score, 1e9)
        order by f.min_score desc nulls last
        limit 1
    ) as fitting on true
    where not (r.self_score >= coalesce(o.min_score, -1e9) - {{ tolerance() }}
               and r.self_score <= coalesce(o.max_score, 1e9) + {{ tolerance() }})
),

under_usual_scale as (
    select
        r.report_id,
        r.fiscal_year,
        'grade_score_mismatch' as "check",
        'warn' as severity,
        '报告自评得分 ' || {{ fmt_num('r.self_score') }} || ' 分，评定等级为“' || r.grade_label_zh
            || '”；报告未写明该等级的评分规则，按通常标准（优 ≥ 90，良 80–90，中 60–80，差 < 60）应为“'
            || fitting.grade || '”。' as message,
        r.grade || ' ' || {{ fmt_num('r.self_score') }} as observed,
        fitting.grade as expected
    from reports as r
    inner join usual_scale as fitting
        on r.self_score >= fitting.min_score and (fitting.max_score is null or r.self_score < fitting.max_score)
    where fitting.grade <> r.grade
        and not exists (select 1 from own_rules as o where o.report_id = r.report_id and o.grade = r.grade)
)

select * from under_own_rule
union all
select * from under_usual_scale
