"""Tables copied one cell per line whose blank cells show only as extra blank lines.

A web copy of a table often arrives as one cell per line, cells parted by a blank line, and a
blank cell as more blank lines, so row boundaries are lost::

    项目 / 2016年执行数 / 2017年预算数 / 合计 / (more blank lines) / 47.27 / …
    行次 / 收入项目 / 预算数 / 支出项目 / 预算数 / 1 / 一、… / 1125.62 / 一、… / 231.46 / 2 / …

The header row gives each column a role (行次, a label, a value column with its measure and
year); the only record of a blank cell is the length of a blank run, ``sep + empty * per_empty``
lines, where ``sep`` is the run between header cells and ``per_empty`` is ``sep`` (a blank cell
leaves one blank line) or ``sep + 1`` (a line for the cell and one after it). Both are tried: rows
are read only while they decode as rows of the header's roles (a label where a label stands, a
number or nothing where a value stands), and when both decode, only the values they agree on are
kept. A blank run fitting neither count ends the table: a value in the wrong column is worse than
a missing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from jixiao.extract.cell_stream import Cell, emit_value
from jixiao.extract.columns import MONEY_MEASURES, column_meaning
from jixiao.extract.context import Context
from jixiao.extract.vocab import staffing_metric, three_public_category
from jixiao.model import Document, Paragraph, Provenance, Table
from jixiao.text.numbers import is_blank, parse_int, squash

_VALUE_HEADER = re.compile(
    r"^(?:(?:19|20)\d{2}年度?)?(?:年初|全年|调整后)?(?:预算|决算|执行|实际支出)(?:数|金额)?"
    r"(?:[(（](?:万元|元)[)）])?$"
)
_ROW_NUMBER = re.compile(r"^(?:行次|栏次)$")
_RATE = re.compile(r"率|比例|比重|%")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_INTEGER = re.compile(r"^\d{1,3}$")
_MAX_LABEL = 24
_MAX_CELL = 40
_MAX_BLANK_RUN = 12
_SENTENCE = re.compile(r"[。；;，,]")
_MAX_ROWS = 60
_UNIT_YUAN = re.compile(r"单位[:：]\s*元|[(（]元[)）]")
_UNIT_WAN = re.compile(r"单位[:：]\s*万元|[(（]万元[)）]")


@dataclass(frozen=True)
class Role:
    kind: str  # "row_number", "label", "value", "staffing" (a headcount column) or "other" (a rate)
    measure: str = ""
    year: int | None = None
    label_slot: int = -1  # for a value: the slot of the label column it belongs to


@dataclass
class SlotHeader:
    start: int
    end: int  # index in the run of the first cell after the header
    roles: list[Role]
    factor: float


def _role(cell: Cell) -> Role | None:
    text = squash(cell.text)
    if cell.number is not None or not text or len(text) > _MAX_LABEL:
        return None
    if _ROW_NUMBER.match(text):
        return Role("row_number")
    if metric := staffing_metric(text):
        year = _YEAR.search(text)
        return Role("staffing", metric, int(year.group(1)) if year else None)
    if _RATE.search(text):
        return Role("other")
    if _VALUE_HEADER.match(text):
        meaning = column_meaning(text)
        return Role("value", meaning.measure, meaning.year) if meaning.measure in MONEY_MEASURES else None
    return Role("label")


def find_slot_header(run: list[Cell], start: int, cell_roles: list[Role | None] | None = None) -> SlotHeader | None:
    """Header cells from ``start`` up to the last value column before the first number."""
    cell_roles = cell_roles if cell_roles is not None else [_role(c) for c in run]
    roles: list[Role] = []
    k = start
    while k < len(run) and (role := cell_roles[k]) is not None:
        roles.append(role)
        k += 1
    while roles and roles[-1].kind not in ("value", "staffing", "other"):
        roles.pop()
    if roles and roles[0].kind == "label" and _VALUE_HEADER.match(squash(run[start].text)):
        return None
    label = -1
    for slot, role in enumerate(roles):
        if role.kind == "label":
            label = slot
        elif role.kind in ("value", "staffing"):
            if label < 0:
                return None
            roles[slot] = Role(role.kind, role.measure, role.year, label)
    if len({r.kind for r in roles} & {"value", "staffing"}) != 1:
        return None  # a headcount form and a money table are never one header
    labels_with_values = {r.label_slot for r in roles if r.kind in ("value", "staffing")}
    if not labels_with_values or any(r.kind == "label" and s not in labels_with_values for s, r in enumerate(roles)):
        return None
    context = " ".join(c.text for c in run[max(0, start - 6) : start])
    factor = 1 / 10000 if _UNIT_YUAN.search(context) and not _UNIT_WAN.search(context) else 1.0
    return SlotHeader(start, start + len(roles), roles, factor)


def _separator(run: list[Cell], header: SlotHeader) -> int | None:
    """The blank run between header cells, when they all agree."""
    gaps = {run[k + 1].line - run[k].line - 1 for k in range(header.start, header.end - 1)}
    return gaps.pop() if len(gaps) == 1 and min(gaps) >= 1 else None


def _slots(run: list[Cell], begin: int, sep: int, per_empty: int) -> list[Cell | None]:
    """Cells from ``begin`` with ``None`` for each blank cell, up to a blank run that fits no count."""
    slots: list[Cell | None] = []
    for k in range(begin, len(run)):
        gap = run[k].line - run[k - 1].line - 1  # the blank run before this cell (the header's last cell first)
        empties, rest = divmod(gap - sep, per_empty)
        if gap < sep or rest:
            break
        slots.extend([None] * empties)
        slots.append(None if is_blank(run[k].text) else run[k])
    return slots


def _fits(role: Role, cell: Cell | None) -> bool:
    if cell is None:
        return True
    if role.kind == "value":
        return cell.number is not None
    if role.kind == "row_number":
        return bool(_INTEGER.match(squash(cell.text)))
    if role.kind == "staffing":
        return bool(re.fullmatch(r"\d{1,6}", squash(cell.text)))
    if role.kind == "other":
        return True
    return cell.number is None and len(squash(cell.text)) <= _MAX_LABEL


def _rows(slots: list[Cell | None], roles: list[Role]) -> list[list[Cell | None]]:
    """Rows of the header's roles, up to the first that is not one (the table ended).

    A headcount form has one row of figures, its label cell blank or not."""
    width = len(roles)
    form = any(role.kind == "staffing" for role in roles)
    rows = []
    for r in range(0, min(len(slots), width * (1 if form else _MAX_ROWS)), width):
        row = slots[r : r + width]
        row += [None] * (width - len(row))  # blank cells closing the table left no line
        if not all(_fits(role, cell) for role, cell in zip(roles, row)):
            break
        if not form and all(row[s] is None for s, role in enumerate(roles) if role.kind == "label"):
            break
        rows.append(row)
    return rows


def _values(rows: list[list[Cell | None]], roles: list[Role]) -> dict[tuple[int, int], tuple[Cell | None, Cell]]:
    out: dict[tuple[int, int], tuple[Cell | None, Cell]] = {}
    for i, row in enumerate(rows):
        for s, role in enumerate(roles):
            value = row[s]
            if value is None or role.kind not in ("value", "staffing"):
                continue
            label = row[role.label_slot]
            if role.kind == "value" and label is None:
                continue
            out[(i, s)] = (label, value)
    return out


def line_runs(doc: Document) -> list[list[Cell]]:
    """Runs of short lines (each a cell) of a plain-text file, blank lines between them allowed."""
    runs: list[list[Cell]] = []
    run: list[Cell] = []
    blank = 0
    for number, raw in enumerate(doc.lines, start=1):
        text = raw.strip()
        if not text:
            blank += 1
            continue
        if len(text) > _MAX_CELL or _SENTENCE.search(text) or blank > _MAX_BLANK_RUN:
            if len(run) > 1:
                runs.append(run)
            run = []
        if len(text) <= _MAX_CELL and not _SENTENCE.search(text):
            run.append(Cell(text, Provenance(doc.source_file, 0, text=text), number))  # located when read
        blank = 0
    if len(run) > 1:
        runs.append(run)
    return runs


def _provenance(doc: Document, text: str, line: int) -> Provenance:
    """The block nearest to ``line`` that holds ``text``: a table cell or a span of a paragraph."""
    best: Provenance | None = None
    distance = None
    for block in doc.blocks:
        if isinstance(block, Paragraph) and (at := block.text.find(text)) >= 0:
            found = Provenance(doc.source_file, block.index, span=(at, at + len(text)), text=text)
        elif isinstance(block, Table):
            cells = [(r, c) for r, row in enumerate(block.rows) for c, cell in enumerate(row) if cell.strip() == text]
            if not cells:
                continue
            found = Provenance(doc.source_file, block.index, row=cells[0][0], col=cells[0][1], text=text)
        else:
            continue
        d = abs(block.line - line)
        if distance is None or d < distance:
            best, distance = found, d
    return best or Provenance(doc.source_file, 0, text=text)


def extract_slot_tables(ctx: Context) -> None:
    for run in line_runs(ctx.doc):
        cell_roles = [_role(c) for c in run]
        if not any(r is not None and r.kind in ("value", "staffing") for r in cell_roles):
            continue  # no value column named anywhere in the run
        k = 0
        while k < len(run):
            first = cell_roles[k]
            if first is None or first.kind not in ("label", "row_number"):
                k += 1  # a header starts with a label or 行次
                continue
            header = find_slot_header(run, k, cell_roles)
            if header is None or any(c.line <= 0 for c in run[k : header.end + 1]) or not _read(ctx, run, header):
                k += 1
                continue
            k = header.end


def _read(ctx: Context, run: list[Cell], header: SlotHeader) -> bool:
    """Read the table under ``header``; False when no row decodes."""
    sep = _separator(run, header)
    if sep is None:
        return False
    form = any(role.kind == "staffing" for role in header.roles)
    decodings = []
    for per_empty in sorted({sep, sep + 1}):
        rows = _rows(_slots(run, header.end, sep, per_empty), header.roles)
        decodings.append(_values(rows, header.roles) if len(rows) >= (1 if form else 2) else {})
    most = max(len(d) for d in decodings)
    if most == 0:
        return False
    best = [d for d in decodings if len(d) == most]
    agreed = [pair for key, pair in best[0].items() if all(d.get(key) == pair for d in best)]
    three_public = any(label is not None and three_public_category(label.text) for label, _value in agreed)
    for (_i, s), (label, value) in best[0].items():
        if (label, value) not in agreed:
            continue
        role = header.roles[s]
        value = replace(value, prov=_provenance(ctx.doc, value.text, value.line))
        if role.kind == "staffing":
            head = run[header.start + s]
            ctx.add(
                "fct_staffing",
                ctx.year_ok(role.year),
                {"metric": role.measure},
                {"headcount": parse_int(value.text), "metric_label_zh": squash(head.text)},
                "table",
                value.prov,
            )
        elif label is not None:
            emit_value(ctx, label, value, role.measure, role.year, header.factor, three_public)
    return True
