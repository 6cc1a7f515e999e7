{#- Helpers of the marts: exact 万元 amounts and year-over-year change. -#}

{#- Amounts: wan() in macros/numbers.sql casts to DECIMAL(18,4), whatever type the fact table holds. -#}

{#- Change from `prev` to `cur` (NULL unless both are stated). -#}
{% macro change(cur, prev) -%}
    (case when {{ cur }} is not null and {{ prev }} is not null then {{ cur }} - {{ prev }} end)
{%- endmacro %}

{#- Change in percent of `prev` (-7.9 = 7.9% less); NULL when either is missing or `prev` is 0. -#}
{% macro change_pct(cur, prev) -%}
    (case when {{ prev }} <> 0 and {{ cur }} is not null
          then 100.0 * cast({{ cur }} - {{ prev }} as double) / cast({{ prev }} as double) end)
{%- endmacro %}

{#- `<base>_yoy_wan` and `<base>_yoy_pct` (or `<base>_yoy` for counts and scores) of column `col`
    from the aliases `cur` and `prev` (the same unit's previous fiscal year). -#}
{% macro yoy_columns(col, cur='current_year', prev='previous_year') -%}
    {%- if col.endswith('_wan') -%}
    {%- set base = col[:-4] -%}
    {{ change(cur ~ '.' ~ col, prev ~ '.' ~ col) }} as {{ base }}_yoy_wan,
    {{ change_pct(cur ~ '.' ~ col, prev ~ '.' ~ col) }} as {{ base }}_yoy_pct
    {%- else -%}
    {{ change(cur ~ '.' ~ col, prev ~ '.' ~ col) }} as {{ col }}_yoy,
    {{ change_pct(cur ~ '.' ~ col, prev ~ '.' ~ col) }} as {{ col }}_yoy_pct
    {%- endif -%}
{%- endmacro %}

{#- 三公经费 categories that get their own columns in mart_department_year (ref_three_public_categories). -#}
{% macro three_public_categories() -%}
    {{ return(['reception', 'vehicle_total', 'vehicle_purchase', 'vehicle_operation', 'overseas_travel']) }}
{%- endmacro %}
