{#- Helpers for amounts in 万元 and the rounding envelope (var rounding_tolerance_wan). -#}

{% macro tolerance() -%}
    ({{ var('rounding_tolerance_wan') }} + 1e-9)
{%- endmacro %}

{#- A number as a finance officer writes it: 16, 15.42, 853.9804 (no trailing zeros). -#}
{% macro fmt_num(expr) -%}
    (case when {{ expr }} is null then '（空）'
          else rtrim(rtrim(printf('%.4f', cast({{ expr }} as double)), '0'), '.') end)
{%- endmacro %}

{#- True when two stated figures differ by more than the rounding envelope (both must be present). -#}
{% macro differs(a, b) -%}
    ({{ a }} is not null and {{ b }} is not null and abs({{ a }} - {{ b }}) > {{ tolerance() }})
{%- endmacro %}

{% macro sum_present(exprs) -%}
    ({% for e in exprs %}coalesce({{ e }}, 0){% if not loop.last %} + {% endif %}{% endfor %})
{%- endmacro %}

{% macro count_present(exprs) -%}
    ({% for e in exprs %}cast({{ e }} is not null as integer){% if not loop.last %} + {% endif %}{% endfor %})
{%- endmacro %}

{#- Parts contradict their total when the total and at least one part are stated and either
    every part is stated and the sum differs from the total, or the stated parts alone already
    exceed it (a blank part is unknown, never 0). -#}
{% macro parts_contradict_total(total, parts_sum, n_present, n_parts) -%}
    ({{ total }} is not null and {{ n_present }} > 0 and (
        ({{ n_present }} = {{ n_parts }} and abs({{ parts_sum }} - {{ total }}) > {{ tolerance() }})
        or ({{ parts_sum }} > {{ total }} + {{ tolerance() }})
    ))
{%- endmacro %}

{#- Exact published types (docs/CONTRACT.md): amounts in 万元 with 4 decimal places, points (weights,
    scores) likewise exact.  Staging casts once; every later model inherits the type. -#}
{% macro wan(expr) -%}
    cast({{ expr }} as decimal(18, 4))
{%- endmacro %}

{% macro points(expr) -%}
    cast({{ expr }} as decimal(10, 4))
{%- endmacro %}

{#- "2021年" in a finding's message, or "（未标年度）" for a figure of no stated year. -#}
{% macro year_text(expr) -%}
    coalesce(cast({{ expr }} as varchar) || '年', '（未标年度）')
{%- endmacro %}
