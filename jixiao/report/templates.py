"""The report's page templates (Jinja2, autoescaped) and its style sheet."""

STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       margin: 0; color: #222; background: #fafafa; }
header { background: #1f3a5f; color: #fff; padding: 12px 24px; }
header a { color: #fff; text-decoration: none; margin-right: 18px; }
main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 1.5em; margin: 0.6em 0 0.2em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
.meta { color: #555; margin-bottom: 1em; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 10px 16px; min-width: 140px; }
.card b { display: block; font-size: 1.6em; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(520px, 100%), 1fr)); gap: 16px; }
.chart { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 4px; min-height: 360px; min-width: 0;
         overflow: hidden; }
.empty { color: #777; font-style: italic; }
table { border-collapse: collapse; background: #fff; font-size: 0.9em; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #eef2f7; }
.error { color: #c0392b; } .warn { color: #b7791f; }
"""

BASE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · jixiao</title>
<link rel="stylesheet" href="{{ root }}assets/style.css">
<script src="{{ root }}assets/plotly.min.js"></script>
</head>
<body>
<header><a href="{{ root }}index.html">jixiao 绩效 · 总览</a>{% if docs_link %}<a href="{{ root }}{{ docs_link }}">数据质量检查（Data Docs）</a>{% endif %}</header>
<main>
{% block content %}{% endblock %}
<p class="meta">生成自 {{ db_name }} · {{ generated }}</p>
</main>
<script>window.addEventListener("load", function () {
  document.querySelectorAll(".js-plotly-plot").forEach(function (p) { Plotly.Plots.resize(p); });
});</script>
</body>
</html>
"""

CHARTS = """{% macro charts(items) %}<div class="charts">
{% for title, html in items %}{% if html %}<div class="chart">{{ html | safe }}</div>
{% else %}<div class="chart"><p class="empty">{{ title }}：报告未载明相关数字。</p></div>{% endif %}
{% endfor %}</div>{% endmacro %}
{% macro findings_table(rows) %}{% if rows %}<table>
<tr><th>年度</th><th>检查</th><th>级别</th><th>说明</th><th>报告所载</th><th>应为</th><th>文件</th></tr>
{% for f in rows %}<tr><td>{{ f.fiscal_year or "" }}</td><td>{{ f.check }}</td><td class="{{ f.severity }}">{{ f.severity }}</td>
<td>{{ f.message }}</td><td>{{ f.observed or "" }}</td><td>{{ f.expected or "" }}</td><td>{{ f.source_file or "" }}</td></tr>
{% endfor %}</table>{% else %}<p class="empty">没有发现问题。</p>{% endif %}{% endmacro %}
"""

INDEX = """{% extends "base.html" %}{% from "charts.html" import charts, findings_table %}
{% block content %}
<h1>jixiao 绩效报告仓库 · 总览</h1>
<div class="cards">
<div class="card">已载入报告<b>{{ n_loaded }}</b></div>
<div class="card">隔离（未载入）<b>{{ n_quarantined }}</b></div>
<div class="card">预算单位<b>{{ departments | length }}</b></div>
<div class="card">县区<b>{{ counties | length }}</b></div>
<div class="card">数据质量问题<b>{{ n_findings }}</b></div>
</div>
{{ charts(overview_charts) }}
{% if quarantined %}<h2>隔离的文件</h2><table><tr><th>文件</th><th>原因</th></tr>
{% for r in quarantined %}<tr><td>{{ r.source_file }}</td><td>{{ r.status_reason }}</td></tr>{% endfor %}</table>{% endif %}
<h2>报告按年度与类型</h2>
<table><tr><th>财政年度</th><th>文件类型</th><th>报告数</th></tr>
{% for row in report_counts %}<tr><td>{{ row.year }}</td><td>{{ row.kind }}</td><td class="num">{{ row.n }}</td></tr>{% endfor %}</table>
<h2>县区</h2>
<table><tr><th>县区</th><th>单位数</th></tr>
{% for c in counties %}<tr><td><a href="county/{{ c.key }}.html">{{ c.name }}</a></td><td class="num">{{ c.department_ids | length }}</td></tr>{% endfor %}</table>
<h2>预算单位</h2>
<table><tr><th>单位</th><th>县区</th><th>年度</th><th>问题</th></tr>
{% for d in departments %}<tr><td><a href="dept/{{ d.page }}">{{ d.department_name }}</a></td>
<td>{{ d.county or "" }}</td><td>{{ d.years }}</td><td class="num">{{ d.n_findings }}</td></tr>{% endfor %}</table>
{% endblock %}
"""

DEPARTMENT = """{% extends "base.html" %}{% from "charts.html" import charts, findings_table %}
{% block content %}
<h1>{{ department.department_name }}</h1>
<p class="meta">{{ region }}{% if department.township %} · {{ department.township }}{% endif %} ·
<a href="../county/{{ county_key }}.html">同县区单位比较</a></p>
{{ charts(chart_items) }}
<h2>年度数据（万元）</h2>
<table><tr>{% for label in columns.values() %}<th>{{ label }}</th>{% endfor %}</tr>
{% for row in years %}<tr>{% for key in columns %}<td class="num">{{ row[key] }}</td>{% endfor %}</tr>{% endfor %}</table>
<h2>数据质量问题</h2>
{{ findings_table(findings) }}
{% endblock %}
"""

COUNTY = """{% extends "base.html" %}{% from "charts.html" import charts, findings_table %}
{% block content %}
<h1>{{ county.name }}</h1>
<p class="meta">本县区报告单位：{% for d in units %}<a href="../dept/{{ d.page }}">{{ d.department_name }}</a>{% if not loop.last %}、{% endif %}{% endfor %}</p>
{{ charts(chart_items) }}
<h2>县区合计</h2>
<table><tr>{% for label in columns.values() %}<th>{{ label }}</th>{% endfor %}</tr>
{% for row in region_rows %}<tr>{% for key in columns %}<td class="num">{{ row[key] }}</td>{% endfor %}</tr>{% endfor %}</table>
{% endblock %}
"""
