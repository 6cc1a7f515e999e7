"""Space-aligned tables: cells joined by one space, an empty cell written as a space.

Web pages copied as text often turn a table row into "label value value": the cells joined by
a single space, where an empty cell still contributes its own (non-breaking) space, so a blank
shows as a run of spaces ("一、支出合计   250000" is a label, an empty cell, then 250000). A run
of such rows under a header line becomes a :class:`~jixiao.model.Table`. A line whose spaces do
not decode that way, or that has more cells than its header, ends the table: its cells are not
guessed.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"^[-+]?\d[\d,，]*(?:\.\d+)?(?:万元|万|元|%)?$")
_BLANK_WORDS = re.compile(r"^(?:—+|-+|/|／|无|单位不需填列|不需填列)$")
_VALUE_HEAD = re.compile(r"预算|决算|执行|合计|小计|拨款|安排|金额|数$|编制|人数")
_SCORE_HEAD = re.compile(r"^(?:分值|权重|得分|自评得分|执行率.*)$")
_LABEL_HEAD = re.compile(r"^(?:项\s*目|科\s*目|项目名称|科目名称|名\s*称|指\s*标)$")
_LABEL = re.compile(r"^\s*(\S+)")
_MIN_ROWS = 2


def _is_value_cell(text: str) -> bool:
    return not text or bool(_NUMBER.match(text)) or bool(_BLANK_WORDS.match(text))


def decode_row(line: str) -> list[str] | None:
    """``[label, cell, …]`` of a space-aligned row, or None when its spacing does not decode."""
    m = _LABEL.match(line)
    if not m:
        return None
    label, rest = m.group(1), line[m.end() :].rstrip("\n")
    if _is_value_cell(label):
        return None
    cells: list[str] = []
    i = 0
    while i < len(rest):
        if rest[i] != " ":
            return None
        i += 1
        if i >= len(rest) or rest[i] == " ":
            cells.append("")
            i += 1
            continue
        j = rest.find(" ", i)
        j = len(rest) if j < 0 else j
        cells.append(rest[i:j])
        i = j
    if not cells or not all(_is_value_cell(c) for c in cells):
        return None
    return [label, *cells]


def decode_header(line: str) -> list[str] | None:
    """``[label header, value header, …]`` of a header line ("项目 2016年执行数 2017年预算数"); the label
    header is "" when the line names only value columns ("年初预算数 全年预算数(A) … 分值 得分")."""
    tokens = line.split()
    if (
        len(tokens) >= 3
        and _VALUE_HEAD.search(tokens[0])
        and all(_VALUE_HEAD.search(t) or _SCORE_HEAD.match(t) for t in tokens)
    ):
        return ["", *tokens]
    k = 0
    while k < len(tokens) and not _VALUE_HEAD.search(tokens[k]):
        k += 1
    if k == 0 or k == len(tokens):
        return None
    label = "".join(tokens[:k])
    if not _LABEL_HEAD.match(label):
        return None
    values = tokens[k:]
    if not all(_VALUE_HEAD.search(v) for v in values):
        return None
    return [label, *values]


def find_tables(lines: list[str]) -> list[tuple[int, int, list[list[str]]]]:
    """``(first line, end line, rows)`` of each space-aligned table among ``lines``."""
    found = []
    i = 0
    while i < len(lines):
        header = decode_header(lines[i])
        if header is None:
            indicator = _indicator_rows(lines, i)
            if indicator is not None:
                found.append(indicator)
            i = indicator[1] if indicator is not None else i + 1
            continue
        width = len(header)
        rows = [header]
        j = i + 1
        sub = _sub_header(lines[j], width) if j < len(lines) else None
        if sub is not None:
            rows.append(sub)
            width = len(sub)
            j += 1
        data = 0
        while j < len(lines):
            row = decode_row(lines[j])
            if row is None or len(row) > width:
                break
            rows.append(row + [""] * (width - len(row)))
            data += 1
            j += 1
        if data >= _MIN_ROWS:
            found.append((i, j, rows))
            i = j
        else:
            i += 1
    return found


_INDICATOR_HEAD = re.compile(
    r"^(?:[一二三]级指标|年度指标值|指标值|实际完成值|实际值|分值|权重|得分|偏差原因分析及改进措施|偏差原因.*)$"
)
_PROSE = re.compile(r"[。；;]$|^(?:注|说明|备注)[:：]")


def _indicator_rows(lines: list[str], i: int) -> tuple[int, int, list[list[str]]] | None:
    """An indicator table whose rows are lines of space-separated cells under a line of column names
    ("二级指标 三级指标 年度指标值 实际完成值 分值 得分"): each line split at its spaces, ragged, so that
    the indicator reader places it; lines of a template left empty ("指标2:", "……") are skipped."""
    header = lines[i].split()
    if len(header) < 4 or not all(_INDICATOR_HEAD.match(t) for t in header):
        return None
    rows = [header]
    j = i + 1
    while j < len(lines):
        text = lines[j].strip()
        if _PROSE.search(text) or len(text) > 120:
            break
        if text and not re.fullmatch(r"(?:指标\d+[:：]?|…+|\.{3,})", text):
            rows.append(text.split())
        j += 1
    return (i, j, rows) if len(rows) > 2 else None


def _sub_header(line: str, width: int) -> list[str] | None:
    """A second header line splitting the value columns ("小计 其中:一般公共预算安排数")."""
    tokens = line.split()
    if len(tokens) < 2 or any(_NUMBER.match(t) for t in tokens) or not all(_VALUE_HEAD.search(t) for t in tokens):
        return None
    if len(tokens) <= width - 1 or len(tokens) % (width - 1):
        return None
    return ["", *tokens]
