-- One row per budget unit (department_id) seen in a loaded report.  The name kept is the fullest
-- one any report gives (county/city prefix kept), ties going to the newest report.  A report that
-- names no unit has a unit of its own (department_status 'unknown', department_name NULL).
with reports as (
    select * from {{ ref('int_reports') }}
    where department_id is not null
),

ranked as (
    select
        reports.*,
        count(*) over (partition by department_id) as n_reports,
        min(fiscal_year) over (partition by department_id) as first_fiscal_year,
        max(fiscal_year) over (partition by department_id) as last_fiscal_year,
        row_number() over (
            partition by department_id
            order by length(department_name) desc nulls last, fiscal_year desc nulls last,
                     report_date desc nulls last, report_id
        ) as name_rank
    from reports
)

select
    department_id,
    department_name,
    department_status,
    province,
    city,
    county,
    township,  -- the extractor lands it for a township government only (jixiao.extract.header)
    county_code,
    unit_name,
    n_reports,
    first_fiscal_year,
    last_fiscal_year
from ranked
where name_rank = 1
