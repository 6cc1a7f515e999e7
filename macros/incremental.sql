{#- Incremental builds keyed on the reports that changed since the last build (docs/dbt.md,
    "Incremental builds").  changed_reports lists them (added / changed / removed); a model keyed
    on reports rebuilds the rows of those reports, a model keyed on departments the rows of every
    department such a report belongs to now or belonged to before.  On a full build (or the first
    one) the filters are `true` and the delete renders nothing. -#}

{#- The changed_reports relation of this build.  Named without ref(): a model that reads it only on
    incremental builds either refs it in a `-- depends_on:` line or reads a model that does (dbt
    must order changed_reports first). -#}
{% macro changed_reports_relation() -%}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.changed_reports') -%}
    {{ return(api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias)) }}
{%- endmacro %}

{#- The keys to rebuild: `reports` (report_id) or `departments` (department_id, now or before). -#}
{% macro changed_keys(scope) -%}
    {%- set changed = changed_reports_relation() -%}
    {%- if scope == 'reports' -%}
    (select report_id from {{ changed }})
    {%- elif scope == 'departments' -%}
    (select department_id from {{ changed }} where department_id is not null
     union
     select previous_department_id from {{ changed }} where previous_department_id is not null)
    {%- else -%}
    {{ exceptions.raise_compiler_error("changed_keys: scope must be 'reports' or 'departments', not " ~ scope) }}
    {%- endif -%}
{%- endmacro %}

{#- Whether this model is being built incrementally (never in a unit test, which has no `this`). -#}
{% macro building_changed_only() -%}
    {{ return(this is not none and is_incremental()) }}
{%- endmacro %}

{#- A where-condition keeping the rows to rebuild: `true` unless the model is built incrementally.
    Several (column, scope) pairs are alternatives (OR). -#}
{% macro changed_only(pairs) -%}
    {%- if building_changed_only() -%}
    ({% for column, scope in pairs %}{{ column }} in {{ changed_keys(scope) }}{% if not loop.last %} or {% endif %}{% endfor %})
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of an incremental model: delete the rows about to be rebuilt (nothing on a full build). -#}
{% macro delete_changed(pairs) -%}
    {%- if building_changed_only() -%}
    {%- set own_columns = [] -%}
    {%- for column, scope in pairs %}{% do own_columns.append((column.split('.')[-1], scope)) %}{% endfor -%}
    delete from {{ this }} where {{ changed_only(own_columns) }}
    {%- endif -%}
{%- endmacro %}
