-- One row per budget unit.
select
    department_id,
    department_name,
    department_status,
    province,
    city,
    county,
    township,
    county_code,
    n_reports,
    first_fiscal_year,
    last_fiscal_year
from {{ ref('int_departments') }}
