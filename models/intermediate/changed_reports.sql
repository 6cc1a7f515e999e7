-- The reports this build rebuilds: one row per report landed now and not in the last build
-- (added), landed differently (changed), or no longer landed (removed), with the department it
-- belongs to now and belonged to before.  On a full build every report is 'added'.  The post-hook
-- keeps this build's fingerprints (intermediate.built_report_fingerprints) for the next build.
{{ config(
    materialized='table',
    post_hook=["create or replace table {{ this.schema }}.built_report_fingerprints as
                select report_id, fingerprint, department_id from {{ ref('int_report_fingerprints') }}"]
) }}

{%- set previous = none %}
{%- if execute and not flags.FULL_REFRESH %}
{%- set previous = adapter.get_relation(database=this.database, schema=this.schema,
                                        identifier='built_report_fingerprints') %}
{%- endif %}

with current_build as (
    select report_id, fingerprint, department_id from {{ ref('int_report_fingerprints') }}
),

last_build as (
    {%- if previous is not none %}
    select report_id, fingerprint, department_id from {{ previous }}
    {%- else %}
    select cast(null as varchar) as report_id, cast(null as varchar) as fingerprint,
           cast(null as varchar) as department_id
    where false
    {%- endif %}
)

select
    coalesce(c.report_id, l.report_id) as report_id,
    case when l.report_id is null then 'added' when c.report_id is null then 'removed' else 'changed' end as change,
    c.department_id,
    l.department_id as previous_department_id
from current_build as c
full outer join last_build as l on l.report_id = c.report_id
where c.fingerprint is distinct from l.fingerprint
    or c.report_id is null
    or l.report_id is null
