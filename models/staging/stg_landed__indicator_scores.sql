-- Scored indicators of each report's self-evaluation table (one row per report × indicator row).
select
    report_id,
    fiscal_year,
    {{ squeeze_text('project_name') }} as project_name,
    {{ squeeze_text('level1_name') }} as level1_name,
    coalesce(lower(trim(level1)), 'other') as level1,
    {{ points('level1_points') }} as level1_points,
    {{ squeeze_text('level2_name') }} as level2_name,
    lower(trim(level2)) as level2,
    {{ squeeze_text('indicator_name') }} as indicator_name,
    {{ clean_text('target_value') }} as target_value,
    {{ clean_text('actual_value') }} as actual_value,
    {{ points('weight') }} as weight,
    {{ points('score') }} as score,
    {{ clean_text('deviation_note') }} as deviation_note,
    source_kind,
    prov_block, prov_row, prov_col, prov_span, prov_text
from {{ ref('landed_indicator_scores') }}
where {{ squeeze_text('indicator_name') }} is not null
