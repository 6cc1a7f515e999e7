{#- Text cleaning shared by staging models. -#}

{#- Trimmed text, blank -> NULL. -#}
{% macro clean_text(expr) -%}
    nullif(trim(regexp_replace({{ expr }}, '^[\s\x{3000}]+|[\s\x{3000}]+$', '', 'g')), '')
{%- endmacro %}

{#- Text with every white space (full-width too) removed, blank -> NULL. -#}
{% macro squeeze_text(expr) -%}
    nullif(regexp_replace({{ expr }}, '[\s\x{3000}]+', '', 'g'), '')
{%- endmacro %}
