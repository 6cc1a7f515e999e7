{#- On every row where the total and all parts are stated, the parts add up to the total within
    the rounding envelope (var rounding_tolerance_wan).  A blank part is unknown: that row is skipped. -#}
{% test parts_add_up_to_total(model, total_column, part_columns) %}
select {{ total_column }}, {{ part_columns | join(', ') }}
from {{ model }}
where {{ total_column }} is not null
  {%- for part in part_columns %}
  and {{ part }} is not null
  {%- endfor %}
  and abs(({{ part_columns | join(' + ') }}) - {{ total_column }}) > {{ tolerance() }}
{% endtest %}
