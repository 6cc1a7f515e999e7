-- Chinese labels of every code the contract tables and marts use, one row per vocabulary × code,
-- from the committed vocabularies in seeds/reference (their one home). label_zh is the name a BI
-- tool shows (the seed's display_zh where it has one); label_zh_all keeps every wording of the code.
with vocabularies as (
    select 'item' as vocabulary, item as code, display_zh, label_zh, description, 1 as preference from {{ ref('ref_items') }}
    union all
    select 'category', category, label_zh, label_zh, description, 1 from {{ ref('ref_three_public_categories') }}
    union all
    select 'phase', phase, display_zh, label_zh, description,
           case fact_table when 'fct_budget' then 1 when 'fct_three_public_expenses' then 2 else 3 end
    from {{ ref('ref_phases') }}
    union all
    select 'scope', scope, label_zh, label_zh, description, 1 from {{ ref('ref_scopes') }}
    union all
    select 'metric', metric, label_zh, label_zh, description, 1 from {{ ref('ref_staffing_metrics') }}
    union all
    select 'level1', level1, display_zh, label_zh, description, 1 from {{ ref('ref_indicator_level1') }}
    union all
    select 'level2', level2, label_zh, label_zh, description, 1 from {{ ref('ref_indicator_level2') }}
    union all
    select 'document_kind', document_kind, label_zh, label_zh, description, 1 from {{ ref('ref_document_kinds') }}
    union all
    select 'measure_family', measure_family, label_zh, label_zh, description, 1 from {{ ref('ref_measure_families') }}
    union all
    select 'grade', grade, label_zh, label_zh, description, 1 from {{ ref('ref_grade_scale') }}
)

select
    vocabulary,
    code,
    display_zh as label_zh,
    label_zh as label_zh_all,
    description
from vocabularies
qualify row_number() over (partition by vocabulary, code order by preference) = 1
