"""Web copies: every cell alone on its own line(s), blank lines between cells, rows lost.

Rows are rebuilt from the table headers.  A header is a run of header words (编制数, 2024年决算数,
年初预算数, 一级指标, 分值 …); the row width is the one under which the cells that follow line up
in columns — numbers under value headers, labels in the label column — with no cell of the wrong
kind.  Cells that cannot be placed are kept as loose one-cell rows (their "label：value" text can
still be read) and never guessed into a column.  An empty cell shows as an extra empty line (two
blank lines more than a cell boundary).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from jixiao.model import Block, Paragraph, Table
from jixiao.text.numbers import is_blank, parse_amount

_HEADER_WORD = re.compile(
    r"^(?:(?:19|20)\d{2}年度?(?:实际)?(?:决算数|预算数|执行数|在职人数|实际在职人数|决算|预算)?"
    r"|编制数|编制人数|实际在职人数|实有人数|在职人数|控制率|年初预算数|全年预算数(?:\(A\)|（A）)?"
    r"|全年执行数(?:\(B\)|（B）)?|预算数|决算数|执行数|预算金额|决算金额|年末决算数|分值|得分|自评得分"
    r"|执行率.*|一级指标|二级指标|三级指标|年度指标值|指标值|实际完成值|偏差.*|差额.*|增长比[例率]|金额差异"
    r"|超支节约比率|科目编码|科目名称|功能分类科目|项目|年初目标设定|全年实际完成情况|预期目标|实际完成情况"
    r"|基本支出|项目支出|合计|小计|类|款|项)$"
)
_ANY_COLUMN = re.compile(r"指标|完成|目标|偏差|原因|名称|项目|科目|分值|说明|情况|收入|支出")
_PROSE_MIN = 60
_MAX_WIDTH = 14
_SCORE_ROWS = 12  # rows looked at when comparing candidate widths


@dataclass
class _Chunk:
    text: str
    line: int
    starts_header: bool | None = None  # whether a run of header words starts here (memo)

    @cached_property
    def kind(self) -> str:
        s = self.text.strip()
        if not s or is_blank(s):
            return "empty"
        if parse_amount(s) is not None:
            return "num"
        return "text"

    @cached_property
    def prose(self) -> bool:
        s = self.text.replace("\n", "")
        return len(s) > _PROSE_MIN and bool(re.search(r"[。；：:，]", s))


def _chunks(lines: list[str]) -> list[_Chunk]:
    out: list[_Chunk] = []
    buf: list[str] = []
    start = 0
    blanks = 0
    for i, line in enumerate(lines + [""]):
        if line.strip():
            if not buf:
                if out and blanks >= 3:
                    out.extend(_Chunk("", i) for _ in range((blanks - 1) // 2))
                start = i + 1
            buf.append(line.strip())
            blanks = 0
        else:
            if buf:
                out.append(_Chunk("\n".join(buf), start))
                buf = []
            blanks += 1
    return out


def _is_header_word(chunk: _Chunk) -> bool:
    return _header_word(chunk.text)


@lru_cache(maxsize=1 << 14)
def _header_word(text: str) -> bool:
    return bool(_HEADER_WORD.match(re.sub(r"\s+", "", text)))


def _header_run(chunks: list[_Chunk], i: int) -> int:
    """End (exclusive) of a run of ≥2 header words starting at ``i``, or ``i`` when there is none."""
    j = i
    while j < len(chunks) and chunks[j].kind == "text" and _is_header_word(chunks[j]):
        j += 1
    return j if j - i >= 2 else i


def read_web_layout(lines: list[str]) -> list[Block]:
    chunks = _chunks(lines)
    blocks: list[Block] = []
    loose: list[_Chunk] = []
    i = 0
    while i < len(chunks):
        if _is_function_table_start(chunks[i]):
            table, end = _function_table(chunks, i)
            if table is not None:
                blocks.extend(_loose_blocks(loose))
                table.caption = _caption(loose)
                loose = []
                blocks.append(table)
                i = end
                continue
        j = _header_run(chunks, i)
        if j == i:
            loose.append(chunks[i])
            i += 1
            continue
        table, consumed_from, end = _table_at(chunks, i, j, len(loose))
        if table is None:
            upper = _upper_header(chunks, i, j, loose)
            if upper is not None:
                k, lead = upper
                table, consumed_from, end = _table_at(chunks, k, _header_run(chunks, k), len(loose) + (k - i))
                if table is not None and consumed_from >= j:
                    table.rows.insert(0, [c.text for c in loose[len(loose) - lead :]] + [c.text for c in chunks[i:j]])
                    consumed_from = i - lead
                else:
                    table = None
            if table is None:
                loose.append(chunks[i])
                i += 1
                continue
        head = loose[: len(loose) - (i - consumed_from)] if i > consumed_from else loose
        blocks.extend(_loose_blocks(head))
        table.caption = _caption(head)
        loose = []
        # further sections of the same table follow closely
        while True:
            k = end
            gap: list[_Chunk] = []
            while k < len(chunks) and k - end <= 8 and _header_run(chunks, k) == k and not chunks[k].prose:
                gap.append(chunks[k])
                k += 1
            if k >= len(chunks) or _header_run(chunks, k) == k:
                break
            more, more_from, more_end = _table_at(chunks, k, _header_run(chunks, k), len(gap))
            if more is None:
                break
            keep = gap[: len(gap) - (k - more_from)] if k > more_from else gap
            table.rows.extend([[c.text] for c in keep])
            table.rows.extend(more.rows)
            end = more_end
        blocks.append(table)
        i = end
    blocks.extend(_loose_blocks(loose))
    return blocks


def _upper_header(chunks: list[_Chunk], i: int, j: int, loose: list[_Chunk]) -> tuple[int, int] | None:
    """A merged upper header row (2019年 | 2020年) right above a sub-header row (基本支出 | 合计 …)."""
    k = j
    while k < len(chunks) and k - j <= 2 and chunks[k].kind == "empty":
        k += 1
    if k >= len(chunks) or _header_run(chunks, k) == k:
        return None
    lead = 0
    while (
        lead < min(2, len(loose))
        and loose[len(loose) - lead - 1].kind == "text"
        and not loose[len(loose) - lead - 1].prose
    ):
        lead += 1
        break
    return k, lead


_SUBJECT_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")


def _is_function_table_start(chunk: _Chunk) -> bool:
    return re.sub(r"\s+", "", chunk.text) in ("功能分类科目", "科目编码")


def _is_row_key(chunk: _Chunk) -> bool:
    s = re.sub(r"\s+", "", chunk.text)
    return bool(_SUBJECT_CODE.match(s)) or s in ("合计", "总计")


def _function_table(chunks: list[_Chunk], i: int) -> tuple[Table | None, int]:
    """A 功能分类科目 table: rows start at a subject code (201, 20103, 2010301) or 合计."""
    k = i
    header_cells: list[_Chunk] = []
    while k < len(chunks) and not _SUBJECT_CODE.match(re.sub(r"\s+", "", chunks[k].text)):
        if chunks[k].prose or k - i > 40:
            return None, i
        header_cells.append(chunks[k])
        k += 1
    header_rows: list[list[str]] = [[]]
    for c in header_cells:
        if re.sub(r"\s+", "", c.text) in ("科目编码", "类") and header_rows[-1]:
            header_rows.append([])
        header_rows[-1].append(c.text)
    rows: list[list[str]] = []

    def starts_row(m: int) -> bool:
        if not _is_row_key(chunks[m]):
            return False
        if re.sub(r"\s+", "", chunks[m].text) in ("合计", "总计"):
            return True
        return m + 1 < len(chunks) and chunks[m + 1].kind == "text"  # a code is followed by its name

    while k < len(chunks) and starts_row(k):
        row = [chunks[k].text]
        k += 1
        while k < len(chunks) and not starts_row(k) and not chunks[k].prose:
            if chunks[k].kind == "text" and len(row) >= 2:
                break
            row.append(chunks[k].text)
            k += 1
        rows.append(row)
        if re.sub(r"\s+", "", row[0]) in ("合计", "总计"):
            break
    if not rows:
        return None, i
    return Table(index=0, rows=header_rows + rows, line=chunks[i].line), k


def _caption(chunks: list[_Chunk]) -> str:
    for c in reversed(chunks):
        if c.kind == "text" and len(c.text) >= 4:
            return c.text.replace("\n", "")
    return ""


def _loose_blocks(chunks: list[_Chunk]) -> list[Block]:
    """Cells and paragraphs outside any rebuilt table: prose as paragraphs, short cells as one-cell rows."""
    out: list[Block] = []
    cells: list[list[str]] = []
    for c in chunks:
        if c.kind == "empty":
            continue
        if c.prose or (c.kind == "text" and not re.search(r"[:：]\s*[\d０-９]", c.text)):
            if cells:
                out.append(Table(index=0, rows=cells, line=c.line))
                cells = []
            out.append(Paragraph(index=0, text=c.text.replace("\n", ""), line=c.line))
        else:
            cells.append([c.text])
    if cells:
        out.append(Table(index=0, rows=cells, line=chunks[-1].line))
    return out


def _column_kinds(header: list[_Chunk]) -> list[str]:
    kinds = []
    for k, h in enumerate(header):
        text = re.sub(r"\s+", "", h.text)
        if k == 0:
            kinds.append("label")
        elif not text:
            kinds.append("label" if k == 1 else "any")
        elif _ANY_COLUMN.search(text) and not re.search(r"预算数|决算数|执行数|金额|得分|合计|支出$", text):
            kinds.append("any")
        else:
            kinds.append("num")
    return kinds


def _conflicts(row: list[_Chunk], kinds: list[str]) -> int:
    bad = 0
    for cell, kind in zip(row, kinds):
        if kind == "num" and cell.kind == "text" or kind == "label" and cell.kind == "num":
            bad += 1
    return bad


def _stops_row(chunks: list[_Chunk], k: int) -> bool:
    chunk = chunks[k]
    if chunk.starts_header is None:
        chunk.starts_header = _header_run(chunks, k) != k
    return chunk.starts_header


def _rows_from(
    chunks: list[_Chunk], start: int, width: int, kinds: list[str], limit: int | None = None
) -> tuple[list[list[_Chunk]], int]:
    rows: list[list[_Chunk]] = []
    k = start
    while k + width <= len(chunks) and (limit is None or len(rows) < limit):
        row = chunks[k : k + width]
        if any(_stops_row(chunks, k + m) for m in range(width)) or _conflicts(row, kinds):
            break
        if any(c.prose for c in row) and not any(kd == "any" for kd in kinds):
            break
        rows.append(row)
        k += width
    return rows, k


def _table_at(chunks: list[_Chunk], i: int, j: int, loose_before: int) -> tuple[Table | None, int, int]:
    """Rebuild the section whose header words run over [i, j).

    The header's own width (its words, 0–3 label cells before them, an empty cell after) is
    tried first; the width under which most rows line up with no cell of the wrong kind wins.
    Other widths are tried only when no natural one lines up.  Returns (table, header start, end).
    """
    max_lead = 0
    while max_lead < min(3, loose_before):
        prev = chunks[i - max_lead - 1]
        if prev.kind == "num" or prev.prose or _is_header_word(prev):
            break
        max_lead += 1
    natural: list[tuple] = []
    other: list[tuple] = []
    for trail in (0, 1):
        if trail and (j >= len(chunks) or chunks[j].kind != "empty"):
            continue
        data_start = j + trail
        natural_widths = {j - i + trail + lead: lead for lead in range(max_lead + 1)}
        for width in range(2, min(_MAX_WIDTH, j - i + trail + max_lead) + 1):
            header = chunks[data_start - width : data_start]
            kinds = _column_kinds(header)
            rows, end = _rows_from(chunks, data_start, width, kinds, limit=_SCORE_ROWS)
            filled = sum(1 for r in rows if any(c.kind == "num" for c in r))
            if not filled:
                continue
            if width in natural_widths:
                natural.append(((filled, natural_widths[width], -trail), width, data_start, rows, end))
            else:
                gap = min(abs(width - w) for w in natural_widths)
                other.append(((filled, -gap), width, data_start, rows, end))
    pool = natural or other
    if not pool:
        return None, i, i
    _, width, data_start, rows, end = max(pool, key=lambda c: c[0])
    header = chunks[data_start - width : data_start]
    rows, end = _rows_from(chunks, data_start, width, _column_kinds(header))
    grid: list[list[str]] = [[c.text for c in header]]
    grid.extend([[c.text for c in r] for r in rows])
    end = _total_row(chunks, end, grid)
    return Table(index=0, rows=grid, line=header[0].line), data_start - width, end


def _total_row(chunks: list[_Chunk], k: int, grid: list[list[str]]) -> int:
    """A closing '总分 | 100 | 95' row, shorter than the table, taken as far as its numbers go."""
    if k < len(chunks) and re.sub(r"\s+", "", chunks[k].text) in ("总分", "合计", "总计"):
        row = [chunks[k].text]
        m = k + 1
        while m < len(chunks) and chunks[m].kind in ("num",):
            row.append(chunks[m].text)
            m += 1
        if len(row) > 1:
            grid.append(row)
            return m
    return k
