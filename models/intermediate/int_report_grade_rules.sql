-- The grade rule a report states for itself, parsed: one row per report × grade the rule defines,
-- with the score range it gives (min_score/max_score NULL = open).  Parses rules written like
-- 优秀（大于90分）、良好（80-90分）、较差（60-80分）、差（小于60分） or 90分以上为优; bounds are inclusive,
-- so a score on a boundary is consistent with either neighbouring grade.
with rules as (
    select report_id, grade_rule
    from {{ ref('int_reports') }}
    where grade_rule is not null
),

segments as (
    -- list numbering such as "2." or "（1）" is not a score: drop it before reading numbers
    select
        report_id,
        grade_rule,
        trim(regexp_replace(regexp_replace(segment, '[（(][0-9]+[)）]', '', 'g'),
                            '(^|[^0-9.])[0-9]+[.．]([^0-9]|$)', '\1\2', 'g')) as segment
    from (
        select report_id, grade_rule, unnest(string_split_regex(grade_rule, '[、，,；;。\n]')) as segment
        from rules
    ) as s
    where trim(segment) <> ''
),

parsed as (
    select
        report_id,
        grade_rule,
        segment,
        nullif(regexp_extract(segment, '(优秀|良好|中等|一般|较差|不合格|合格|优|良|中|差)'), '') as label_token,
        list_distinct(list_transform(regexp_extract_all(segment, '[0-9]+(?:\.[0-9]+)?'), x -> cast(x as double))) as numbers
    from segments
),

bounded as (
    select
        report_id,
        grade_rule,
        segment,
        label_token,
        case
            when len(numbers) >= 2 then list_min(numbers)
            when len(numbers) = 1 and regexp_matches(segment, '(以上|大于|高于|超过|≥|>=|＞|>|不低于)') then numbers[1]
        end as min_score,
        case
            when len(numbers) >= 2 then list_max(numbers)
            when len(numbers) = 1 and not regexp_matches(segment, '(以上|大于|高于|超过|≥|>=|＞|>|不低于)')
                and regexp_matches(segment, '(以下|小于|低于|不足|不到|未达|≤|<=|＜|<)') then numbers[1]
        end as max_score
    from parsed
    where label_token is not null and len(numbers) >= 1
)

select
    b.report_id,
    labels.grade,
    min(b.min_score) as min_score,
    case when count(*) = count(b.max_score) then max(b.max_score) end as max_score,
    string_agg(b.segment, '、') as rule_text
from bounded as b
inner join {{ ref('ref_grade_labels') }} as labels on labels.label_zh = b.label_token
where b.min_score is not null or b.max_score is not null
group by b.report_id, labels.grade
