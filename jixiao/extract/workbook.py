"""The standard 部门预算/决算公开报表 workbook: one sheet per standard table → contract facts.

A workbook reader (``jixiao.readers.spreadsheet``) gives each sheet as title/unit paragraphs
and one table captioned with the sheet's title.  The sheets recognized here by their title:

| sheet | facts |
|---|---|
| 收支总表, 财政拨款收支总表, 收入支出决算总表 | funds by source (``fund_*``, ``carryover_in``) from the income side |
| 支出总表, 支出决算表 | ``total``/``basic``/``project`` from the 合计 row (and by function when no 一般公共预算 sheet) |
| 一般公共预算支出表 | ``fct_budget_by_function``: every code level (201, 20103, 2010301) and 合计 |
| 基本支出表 (经济分类) | economic classes (scope ``basic``), ``personnel`` and ``public_funds`` |
| 三公经费支出表 | 三公 categories, budget or actual |
| 政府性基金预算支出表 | ``fund_government_fund`` from its 合计 row |

A budget package (预算) gives ``fct_budget`` phase ``budget``; a final-accounts package (决算)
gives ``fct_spending`` (and phase ``actual`` by function).  Amounts are converted from the
sheet's unit line (单位：元 / 万元); a sheet that states no unit gives no facts and a finding.
Sheets understood here are taken out of the document, so the generic table extractors (which
assume 万元) never read them again.
"""

from __future__ import annotations

import dataclasses
import re

from jixiao.extract.context import Context
from jixiao.extract.vocab import clean_label, item_for, three_public_category
from jixiao.model import Document, Paragraph, ReportHeader, Table
from jixiao.text.numbers import Amount, parse_amount, squash

WORKBOOK_FORMATS = {"xlsx", "xls"}
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_YEAR = re.compile(r"(20\d{2})\s*年")
_UNIT_NAME = re.compile(r"(?:编制|填报|预算|部门)?单位(?:名称)?\s*[:：]\s*(\S+?)(?:\s|　|单位\s*[:：]|金额单位|$)")
_SHEETS: list[tuple[str, str]] = [  # (kind, title pattern), first match wins
    ("fund_summary", r"财政拨款收[入]?支[出]?(?:决算)?总表|收入支出决算总表|收支(?:预算)?总表|收支决算总表"),
    ("income", r"收入(?:预算|决算)?总?表"),
    ("basic_economic", r"基本支出(?:预算|决算)?表|经济分类"),
    ("general_public", r"一般公共预算(?:财政拨款)?(?:支出)?(?:预算|决算)?表"),
    ("three_public", r"三公"),
    ("government_fund", r"政府性基金"),
    ("spending", r"支出(?:预算|决算)?总?表"),
]
_MEASURES = {
    "合计": "total_wan",
    "小计": "total_wan",
    "总计": "total_wan",
    "基本支出": "basic_wan",
    "项目支出": "project_wan",
    "人员经费": "personnel",
    "公用经费": "public_funds",
}


def is_workbook(doc: Document) -> bool:
    return doc.file_format in WORKBOOK_FORMATS


# --------------------------------------------------------------------------- header
def fill_header(doc: Document, header: ReportHeader) -> None:
    """单位名称 and year of a workbook's sheets, where the generic header reader found none."""
    if not is_workbook(doc):
        return
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)] + [t.caption for t in doc.tables()]
    if header.department_name is None:
        for text in texts:
            m = _UNIT_NAME.search(text)
            if m and len(m.group(1)) >= 3:
                header.department_name = m.group(1).strip("　 ")
                break
    if header.fiscal_year is None:
        years = [int(m.group(1)) for text in texts for m in _YEAR.finditer(text)]
        if years:
            header.fiscal_year = max(set(years), key=years.count)
    sheets = [t for t in doc.tables() if t.caption]
    if header.document_kind in (None, "other") or (
        header.document_kind == "three_public_disclosure" and len(sheets) > 1
    ):
        # a package of standard sheets is a 预算/决算 disclosure even when its first sheet is the 三公 one
        joined = "".join(texts)
        header.document_kind = "final_accounts_statement" if "决算" in joined else "budget_statement"


# --------------------------------------------------------------------------- grids
@dataclasses.dataclass
class _Sheet:
    table: Table
    title: str
    factor: float | None  # 万元 per written unit; None when the unit is not stated
    grid: list[list[str]]  # rows expanded to grid columns (a spanned cell's text in each column)
    origin: list[list[int]]  # grid column → index of the cell in the ragged row


def _expand(table: Table) -> tuple[list[list[str]], list[list[int]]]:
    grid, origin = [], []
    for r, row in enumerate(table.rows):
        spans = table.spans[r] if table.spans and r < len(table.spans) else [1] * len(row)
        texts, where = [], []
        for c, (text, span) in enumerate(zip(row, spans)):
            texts += [text] * max(span, 1)
            where += [c] * max(span, 1)
        grid.append(texts)
        origin.append(where)
    return grid, origin


def _unit_factor(texts: list[str]) -> float | None:
    joined = squash(" ".join(texts))
    if re.search(r"单位[:：]?万元|[(（]万元[)）]", joined):
        return 1.0
    if re.search(r"单位[:：]?元|[(（]元[)）]", joined):
        return 1 / 10000
    return None


def _sheets(doc: Document) -> list[_Sheet]:
    out, pending = [], []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            pending.append(block.text)
            continue
        head = [c for row in block.rows[:3] for c in row]
        grid, origin = _expand(block)
        out.append(_Sheet(block, squash(block.caption), _unit_factor(pending + head), grid, origin))
        pending = []
    return out


def _kind(title: str) -> str | None:
    for kind, pattern in _SHEETS:
        if re.search(pattern, title):
            return kind
    return None


# --------------------------------------------------------------------------- facts
class _Writer:
    """Adds facts of one sheet: amounts converted by the sheet's unit, provenance of the cell."""

    def __init__(self, ctx: Context, sheet: _Sheet, final: bool):
        self.ctx, self.sheet, self.final = ctx, sheet, final
        self.year = ctx.fiscal_year

    def amount(self, r: int, c: int) -> tuple[float, int] | None:
        text = self.sheet.grid[r][c] if c < len(self.sheet.grid[r]) else ""
        if c > 0 and self.sheet.origin[r][c] == self.sheet.origin[r][c - 1]:
            return None  # the second column of a spanned cell is no value of its own
        amount: Amount | None = parse_amount(text)
        if amount is None or amount.unit == "%":
            return None
        factor = self.sheet.factor if not amount.unit else (1.0 if amount.unit == "万元" else 1 / 10000)
        if factor is None:
            return None  # no unit written or stated for the sheet
        return round(amount.value * factor, 6), min(amount.decimals + (4 if factor != 1.0 else 0), 6)

    def prov(self, r: int, c: int):
        return self.ctx.cell(self.sheet.table, r, self.sheet.origin[r][c])

    def money(self, item: str, label: str, r: int, c: int, scope: str = "all") -> None:
        got = self.amount(r, c)
        if got is None:
            return
        table = "fct_spending" if self.final else "fct_budget"
        key = {"item": item, "scope": scope} if self.final else {"item": item, "phase": "budget", "scope": scope}
        self.ctx.add(
            table, self.year, key, {"amount_wan": got[0], "item_label_zh": label}, "table", self.prov(r, c), got[1]
        )


def _header_rows(grid: list[list[str]]) -> int:
    """Rows before the first row holding a number."""
    for r, row in enumerate(grid):
        if any(parse_amount(c) is not None and not _CODE.match(squash(c)) for c in row):
            return r
    return len(grid)


def _fund_label(label: str) -> str | None:
    s = clean_label(label)
    for candidate in (s, re.sub(r"收入$", "", s), re.sub(r"^上年", "年初", s)):
        item = item_for(candidate)
        if item and (item.startswith("fund_") or item == "carryover_in"):
            return item
    if re.match(r"^(?:上年结转|上年结转结余|年初结转)", s):
        return "carryover_in"
    return None


def _fund_summary(w: _Writer) -> None:
    """Income side (the first label/amount pair of each row) by source."""
    grid = w.sheet.grid
    for r in range(_header_rows(grid), len(grid)):
        row = grid[r]
        label_col = next((c for c, t in enumerate(row) if t and parse_amount(t) is None), None)
        if label_col is None:
            continue
        value_col = next((c for c in range(label_col + 1, len(row)) if row[c] and row[c] != row[label_col]), None)
        item = _fund_label(row[label_col])
        if item and value_col is not None:
            w.money(item, clean_label(row[label_col]), r, value_col)


def _columns(grid: list[list[str]], header_rows: int) -> dict[int, str]:
    """Grid column → the deepest header text of that column."""
    out = {}
    for c in range(max(len(r) for r in grid)):
        texts = [squash(grid[r][c]) for r in range(header_rows) if c < len(grid[r]) and grid[r][c]]
        if texts:
            out[c] = texts[-1]
    return out


def _code_and_name(row: list[str], code_cols: list[int], name_col: int | None) -> tuple[str | None, str]:
    parts = [squash(row[c]) for c in code_cols if c < len(row) and squash(row[c])]
    code = "".join(parts)
    name = row[name_col].strip() if name_col is not None and name_col < len(row) else ""
    first = squash(row[0]) if row else ""
    if re.match(r"^(?:合计|总计)$", first) or re.match(r"^(?:合计|总计)$", squash(name)) and not code:
        return "合计", ""
    if not _CODE.match(code):
        m = re.match(r"^(\d{3}(?:\d{2}){0,2})\s*(.*)$", first)  # "20103 政府办公厅" in one cell
        if m:
            return m.group(1), m.group(2) or name
        return None, name
    return code, name


def _code_layout(columns: dict[int, str]) -> tuple[list[int], int | None]:
    code_cols = [c for c, t in columns.items() if re.search(r"编码|代码|^类$|^款$|^项$", t)]
    name_cols = [c for c, t in columns.items() if re.search(r"名称", t) and c not in code_cols]
    return code_cols, (name_cols[0] if name_cols else None)


def _by_function(w: _Writer, also_totals: bool) -> None:
    grid = w.sheet.grid
    head = _header_rows(grid)
    columns = _columns(grid, head)
    code_cols, name_col = _code_layout(columns)
    measures = {c: _MEASURES[t] for c, t in columns.items() if t in _MEASURES and c not in code_cols}
    if not code_cols or "total_wan" not in measures.values():
        return
    phase = "actual" if w.final else "budget"
    for r in range(head, len(grid)):
        code, name = _code_and_name(grid[r], code_cols, name_col)
        if code is None:
            continue
        record: dict[str, float | None] = {"total_wan": None, "basic_wan": None, "project_wan": None}
        first_col = None
        for c, measure in measures.items():
            got = w.amount(r, c)
            if measure in record and got is not None and record[measure] is None:
                record[measure] = got[0]
                first_col = c if measure == "total_wan" else first_col
        if record["total_wan"] is None or first_col is None:
            continue
        if not also_totals or code != "合计":
            w.ctx.add(
                "fct_budget_by_function",
                w.year,
                {"phase": phase, "subject_code": code},
                {"subject_name": name or None, **record},
                "table",
                w.prov(r, first_col),
            )
        if also_totals and code == "合计":
            for c, measure in measures.items():
                item = {"total_wan": "total", "basic_wan": "basic", "project_wan": "project"}.get(measure)
                if item:
                    w.money(item, f"支出合计({columns[c]})", r, c)


def _totals_only(w: _Writer) -> None:
    """合计/总计 row of a spending table: total, basic, project."""
    grid = w.sheet.grid
    head = _header_rows(grid)
    columns = _columns(grid, head)
    for r in range(head, len(grid)):
        if not any(re.match(r"^(?:合计|总计)$", squash(t)) for t in grid[r][:4]):
            continue
        for c, t in columns.items():
            item = {"合计": "total", "总计": "total", "基本支出": "basic", "项目支出": "project"}.get(t)
            if item:
                w.money(item, f"支出合计({t})", r, c)
        return


def _basic_economic(w: _Writer) -> None:
    grid = w.sheet.grid
    head = _header_rows(grid)
    columns = _columns(grid, head)
    code_cols, name_col = _code_layout(columns)
    total_cols = [c for c, t in columns.items() if t in ("合计", "小计", "总计")]
    for r in range(head, len(grid)):
        code, name = _code_and_name(grid[r], code_cols, name_col) if code_cols else (None, "")
        if code == "合计":
            for c, t in columns.items():
                item = {"人员经费": "personnel", "公用经费": "public_funds"}.get(t)
                if item:
                    w.money(item, t, r, c, scope="all")
            continue
        if code is None or len(code) != 3 or not total_cols:
            continue  # economic classes only (301, 302 …), not their items (30101 …)
        item = item_for(name)
        if item in {
            "wages_welfare",
            "goods_services",
            "household_subsidies",
            "enterprise_subsidies",
            "capital",
            "capital_construction",
            "debt_interest",
        }:
            w.money(item, clean_label(name), r, total_cols[0], scope="basic")


def _three_public(w: _Writer) -> None:
    grid = w.sheet.grid
    head = _header_rows(grid)
    categories: dict[int, tuple[str, str]] = {}
    for c in range(max(len(row) for row in grid)):
        texts = [squash(grid[r][c]) for r in range(head) if c < len(grid[r]) and grid[r][c]]
        leaf = texts[-1] if texts else ""
        if leaf == "小计" and len(texts) > 1:
            leaf = texts[-2]
        category = (
            "total" if leaf in ("合计", "总计") or re.search(r"三公.*合计", leaf) else three_public_category(leaf)
        )
        if category is None and re.search(r"公务用车购置及运行", leaf):
            category = "vehicle_total"
        if category:
            categories[c] = (category, leaf)
    default = "actual" if w.final else "budget"
    for r in range(head, len(grid)):
        label = squash(" ".join(t for c, t in enumerate(grid[r]) if c not in categories))
        phase = "actual" if re.search(r"决算|实际|执行", label) else "budget" if "预算" in label else default
        for c, (category, leaf) in categories.items():
            got = w.amount(r, c)
            if got is not None:
                w.ctx.add(
                    "fct_three_public_expenses",
                    w.year,
                    {"category": category, "phase": phase},
                    {"amount_wan": got[0], "category_label_zh": leaf},
                    "table",
                    w.prov(r, c),
                    got[1],
                )


def _government_fund(w: _Writer) -> None:
    grid = w.sheet.grid
    head = _header_rows(grid)
    columns = _columns(grid, head)
    total_cols = [c for c, t in columns.items() if t in ("合计", "小计", "总计")]
    for r in range(head, len(grid)):
        if total_cols and any(re.match(r"^(?:合计|总计)$", squash(t)) for t in grid[r][:3]):
            w.money("fund_government_fund", "政府性基金预算支出合计", r, total_cols[0])
            return


def extract_workbook(ctx: Context) -> None:
    """Facts of the standard sheets of a workbook; those sheets are then taken out of ``ctx.doc``."""
    if not is_workbook(ctx.doc):
        return
    sheets = _sheets(ctx.doc)
    kinds = {id(s): _kind(s.title) for s in sheets}
    has_general = any(k == "general_public" for k in kinds.values())
    understood: set[int] = set()
    for sheet in sheets:
        kind = kinds[id(sheet)]
        if kind is None:
            continue
        understood.add(id(sheet.table))
        if sheet.factor is None:
            ctx.finding(
                "unit_unknown",
                "warn",
                f"sheet '{sheet.title}' states no unit (单位：元/万元); its figures are left out",
                prov=ctx.cell(sheet.table, 0, 0),
            )
            continue
        w = _Writer(ctx, sheet, final="决算" in sheet.title)
        if kind == "fund_summary":
            _fund_summary(w)
        elif kind == "spending":
            if has_general:
                _totals_only(w)
            else:
                _by_function(w, also_totals=False)
                _totals_only(w)
        elif kind == "general_public":
            _by_function(w, also_totals=False)
        elif kind == "basic_economic":
            _basic_economic(w)
        elif kind == "three_public":
            _three_public(w)
        elif kind == "government_fund":
            _government_fund(w)
    if understood:
        ctx.doc = dataclasses.replace(ctx.doc, blocks=[b for b in ctx.doc.blocks if id(b) not in understood])
