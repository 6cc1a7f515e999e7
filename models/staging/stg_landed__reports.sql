-- One row per ingested document (quarantined ones included), as landed; text trimmed, blanks NULL.
select
    report_id,
    {{ clean_text('source_file') }} as source_file,
    content_hash,
    file_format,
    lower(trim(status)) as status,
    {{ clean_text('status_reason') }} as status_reason,
    {{ squeeze_text('department_name') }} as department_name,
    {{ squeeze_text('province') }} as province,
    {{ squeeze_text('city') }} as city,
    {{ squeeze_text('county') }} as county,
    {{ clean_text('county_code') }} as county_code,
    {{ squeeze_text('township') }} as township,
    fiscal_year,
    report_date,
    self_score,
    {{ squeeze_text('grade') }} as grade,
    {{ squeeze_text('grade_label_zh') }} as grade_label_zh,
    {{ clean_text('grade_rule') }} as grade_rule,
    indicator_total_weight,
    indicator_total_score,
    ocr_confidence
from {{ ref('landed_reports') }}
