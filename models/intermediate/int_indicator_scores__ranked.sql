-- Every scored indicator row of a loaded report.  An indicator table belongs to one report, so the
-- preference is per report and table: for each department × fiscal_year × project_name (NULL = the
-- unit-wide table), report_rank 1 is the report whose own fiscal_year is that year, else the newest;
-- the fact table keeps that report's rows only.  Rows of no stated year stay with their own report.
with scored as (
    select
        s.*,
        r.department_id,
        r.fiscal_year as report_fiscal_year,
        r.report_date,
        r.source_file
    from {{ ref('stg_landed__indicator_scores') }} as s
    inner join {{ ref('int_reports') }} as r on r.report_id = s.report_id
    where r.status = 'loaded' and r.department_id is not null
),

report_preference as (
    select
        department_id,
        fiscal_year,
        project_name,
        report_id,
        row_number() over (
            partition by department_id, fiscal_year, project_name,
                         case when fiscal_year is null then report_id end
            order by coalesce(report_fiscal_year = fiscal_year, false) desc,
                     report_fiscal_year desc nulls last,
                     report_date desc nulls last,
                     report_id
        ) as report_rank
    from (
        select distinct department_id, fiscal_year, project_name, report_id, report_fiscal_year, report_date
        from scored
    ) as d
)

select
    scored.*,
    p.report_rank,
    row_number() over (
        partition by scored.department_id, scored.fiscal_year,
                     case when scored.fiscal_year is null then scored.report_id end,
                     scored.project_name, scored.level1, scored.indicator_name
        order by p.report_rank, scored.prov_block nulls last, scored.prov_row nulls last
    ) as preference_rank
from scored
inner join report_preference as p
    on p.department_id = scored.department_id
    and p.fiscal_year is not distinct from scored.fiscal_year
    and p.project_name is not distinct from scored.project_name
    and p.report_id = scored.report_id
