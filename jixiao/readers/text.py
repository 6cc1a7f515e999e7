"""Plain-text layouts → blocks.

Four layouts occur in text copies of reports (see docs/CONTRACT.md, "Inputs"):

* Word export: every table cell starts a line with a TAB, a cell may continue on the next
  lines, and a blank line ends a table row;
* ``|``-separated: whole rows on one line (``a | b | c``) or one cell per line ending in ``|``;
* web copy: every cell stands alone on its own line(s), blank lines between cells, no TABs
  (row boundaries are lost: rows are rebuilt from the header's width, see :mod:`.web`);
* plain prose.

A document can mix prose with tables of one layout; the layout is chosen per document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.model import Block, Document, Paragraph, Table
from jixiao.readers.pipe_cells import cell_rows, is_cell_lines_flavour, split_body_rows
from jixiao.readers.spaced import find_tables
from jixiao.text.normalize import normalize_text

_TERMINAL = "。！？；;!?：:”’」』）)】"
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d)|第[一二三四五六七八九十]+)"
)
# A signature line: a date, or a unit name standing alone.
STANDALONE_LINE = re.compile(
    r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?:19|20)\d{2}[.\-/]\d{1,2}[.\-/]\d{1,2}"
    r"|[\u4e00-\u9fa5（）()]{2,30}(?:人民政府|办事处|局|委员会|中心|院|所|站|馆|学校|医院)"
)
_CONTINUATION_MAX_LINE = 60
_CELL_LINE_MAX = 30
_CONTINUATION_MAX_LINES = 10


def read_text(text: str, source_file: str) -> Document:
    """Split a report's text into paragraphs and tables, choosing its layout."""
    text = normalize_text(text)
    lines = text.split("\n")
    layout = detect_layout(lines)
    if layout == "txt-tab":
        blocks = _read_tab_layout(lines)
    elif layout == "txt-pipe":
        blocks = _read_pipe_layout(lines)
    elif layout == "txt-web":
        from jixiao.readers.web import read_web_layout

        blocks = read_web_layout(lines)
    else:
        blocks = _prose_with_spaced_tables(lines)
    _renumber(blocks)
    return Document(source_file=source_file, blocks=blocks, file_format=layout, lines=lines)


def detect_layout(lines: list[str]) -> str:
    """Guess the layout from how cells are marked."""
    tab_cells = sum(1 for ln in lines if ln.startswith("\t"))
    pipe_lines = sum(1 for ln in lines if _is_pipe_row(ln))
    if tab_cells >= 4 and tab_cells >= pipe_lines:
        return "txt-tab"
    if pipe_lines >= 3:
        return "txt-pipe"
    short_chunks = _short_chunk_count(lines)
    if short_chunks >= 12:
        return "txt-web"
    return "txt-prose"


def _short_chunk_count(lines: list[str]) -> int:
    """How many blank-line-separated one-line chunks look like table cells (numbers, short labels)."""
    count = 0
    for i, ln in enumerate(lines):
        s = ln.strip()
        if not s or len(s) > 30:
            continue
        before = lines[i - 1].strip() if i > 0 else ""
        after = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if not before and not after and re.fullmatch(r"[-+]?[\d,，.]+%?", s):
            count += 1
    return count


# ---------------------------------------------------------------------------------------
# Word export: TAB-started cells
# ---------------------------------------------------------------------------------------


@dataclass
class _TabTable:
    line: int
    caption: str
    rows: list[list[str]] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    segments: list[list[str]] = field(default_factory=list)  # rows as cut by blank lines


def _read_tab_layout(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    pending_para: list[tuple[int, str]] = []
    table: _TabTable | None = None
    i = 0
    n = len(lines)

    def flush_paragraphs() -> None:
        nonlocal pending_para
        if pending_para:
            blocks.extend(_paragraph_blocks(pending_para, start_index=0))
            pending_para = []

    def close_table() -> None:
        nonlocal table
        if table is not None:
            if table.current:
                table.segments.append(table.current)
                table.current = []
            rows = _merge_split_rows(table.segments)
            if rows:
                blocks.append(Table(index=0, rows=rows, line=table.line, caption=table.caption))
            table = None

    while i < n:
        line = lines[i]
        if line.startswith("\t"):
            if table is None:
                caption = _caption_from(pending_para)
                flush_paragraphs()
                table = _TabTable(line=i + 1, caption=caption)
            for cell in line.split("\t")[1:]:
                table.current.append(cell.strip())
            i += 1
            continue
        if not line.strip():
            if table is not None and table.current:
                table.segments.append(table.current)
                table.current = []
            if table is None:
                pending_para.append((i + 1, ""))
            i += 1
            continue
        # A non-blank line without a leading TAB.
        if table is None:
            pending_para.append((i + 1, line))
            i += 1
            continue
        run_end = i
        while run_end < n and lines[run_end].strip() and not lines[run_end].startswith("\t"):
            run_end += 1
        run = lines[i:run_end]
        followed_by_cell = run_end < n and lines[run_end].startswith("\t")
        if table.current and (followed_by_cell or _cell_like(run)):
            table.current[-1] = _join_cell(table.current[-1], run)
            i = run_end
            continue
        if not table.current and table.segments:
            reach = _text_until_next_cell(lines, i)
            if reach is not None and _continues_cut_row(table.segments, _next_segment_len(lines, reach[0])):
                # A blank line inside a cell cut the row: the text continues its last cell.
                table.current = table.segments.pop()
                table.current[-1] = _join_cell(table.current[-1], reach[1])
                i = reach[0]
                continue
        close_table()
        for k in range(i, run_end):
            pending_para.append((k + 1, lines[k]))
        i = run_end
    close_table()
    flush_paragraphs()
    return blocks


def _cell_like(run: list[str]) -> bool:
    return (
        len(run) <= _CONTINUATION_MAX_LINES
        and all(len(s.strip()) <= _CONTINUATION_MAX_LINE for s in run)
        and not any("[bookmark" in s for s in run)
    )


def _join_cell(cell: str, run: list[str]) -> str:
    parts = [cell] if cell else []
    parts.extend(s.strip() for s in run)
    return "\n".join(parts)


def _text_until_next_cell(lines: list[str], i: int) -> tuple[int, list[str]] | None:
    """The short text lines (blank lines allowed) from ``i`` up to the next TAB line, if close."""
    j, text = i, []
    while j < len(lines) and not lines[j].startswith("\t"):
        if lines[j].strip():
            text.append(lines[j])
        j += 1
        if j - i > _CONTINUATION_MAX_LINES + 4:
            return None
    if j >= len(lines) or not _cell_like(text):
        return None
    return j, text


def _next_segment_len(lines: list[str], j: int) -> int:
    """How many cells the row starting at line ``j`` has (up to the next blank line)."""
    count = 0
    while j < len(lines) and lines[j].strip() != "" or (j < len(lines) and lines[j].startswith("\t")):
        if lines[j].startswith("\t"):
            count += len(lines[j].split("\t")) - 1
        j += 1
    return count


def _continues_cut_row(segments: list[list[str]], next_len: int) -> bool:
    """Whether the last row plus the next one form one row cut by a blank line in a cell."""
    last = segments[-1]
    if len(segments) >= 2:
        width = len(segments[-2])
        return len(last) < width and len(last) + next_len == width
    return len(last) == 1 and next_len >= 2


def _merge_split_rows(segments: list[list[str]]) -> list[list[str]]:
    """Re-join rows that a blank line inside a cell cut in two.

    A row shorter than the row before it, followed by a row that is also shorter, whose
    lengths add up to exactly that width, is one row cut by a blank line in a cell.
    """
    rows: list[list[str]] = []
    i = 0
    while i < len(segments):
        seg = segments[i]
        if rows and i + 1 < len(segments):
            width = len(rows[-1])
            nxt = segments[i + 1]
            if len(seg) < width and len(nxt) < width and len(seg) + len(nxt) == width:
                rows.append(seg + nxt)
                i += 2
                continue
        rows.append(seg)
        i += 1
    return rows


def _caption_from(pending: list[tuple[int, str]]) -> str:
    for _, text in reversed(pending):
        if text.strip():
            return text.strip()
    return ""


# ---------------------------------------------------------------------------------------
# `|`-separated rows
# ---------------------------------------------------------------------------------------


def _is_pipe_row(line: str) -> bool:
    s = line.strip()
    return s.count("|") >= 2 or (s.endswith("|") and len(s) > 1)


def _split_pipe(line: str, bordered: bool = False) -> list[str]:
    """Cells of a `|` row; outer pipes are a border only when every row of the table has both."""
    s = line.strip()
    if bordered and len(s) > 1:
        s = s[1:-1]
    return [c.strip() for c in s.split("|")]


_PADDED = re.compile(r"\|\s*\|\s*$")


def _padded_rows_flavour(lines: list[str]) -> bool:
    """Whether whole rows end in a run of padding pipes ("… | 10 | ||||"), not one cell per line."""
    padded = sum(1 for ln in lines if _PADDED.search(ln))
    whole = sum(1 for ln in lines if ln.strip().count("|") >= 2)
    single = sum(1 for ln in lines if ln.strip().count("|") == 1 and ln.strip().endswith("|"))
    return padded >= 3 and padded >= 0.6 * whole and single < whole


def _join_open_rows(lines: list[str]) -> list[str | None]:
    """Re-join rows broken over lines in a table whose rows end in padding pipes.

    Inside an open table, a line ending in one ``|`` (a cell broken by a line break, "产出指标 |",
    or a row cut in two, "基本支出 | 985.19 | 914.97 |" + "10 | 10 | ||||") continues on the
    following pipe lines up to the next line that ends in padding; a line ending in a number
    followed by a line that starts with a label is a whole row that merely lacks padding.  Joined
    lines become ``None``.
    """
    out: list[str | None] = list(lines)
    in_table = False
    i = 0
    while i < len(lines):
        s = lines[i].strip()
        if not s or "|" not in s:
            in_table = in_table and not s and _next_is_pipe(lines, i)
            i += 1
            continue
        if in_table and s.endswith("|") and not _PADDED.search(s) and _continues_row(s, lines, i):
            j = i + 1
            parts = [s]
            while j < len(lines) and "|" in lines[j]:
                parts.append(lines[j].strip())
                j += 1
                if _PADDED.search(parts[-1]) or not parts[-1].endswith("|"):
                    break
            if len(parts) > 1:
                out[i] = " ".join(parts)
                for k in range(i + 1, j):
                    out[k] = None
                i = j
                continue
        in_table = in_table or bool(_PADDED.search(s))
        i += 1
    return out


def _continues_row(s: str, lines: list[str], i: int) -> bool:
    """Whether the open line ``s`` goes on.  Not when it ends in a number and the next line starts a label; a
    row of several cells goes on only with values ("基本支出 | 985.19 | 914.97 |" + "10 | 10 |") or with the
    header's columns ("绩效指标 | 一级 指标 |" + "二级指标 | 三级指标 | 分值 …"): a next line opening with
    another label is the next row."""
    number = r"[-+]?[\d,，.]+%?"
    last = s.rstrip("| ").split("|")[-1].strip()
    nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
    first = nxt.lstrip("| ").split("|")[0].strip()
    if re.fullmatch(number, last) and not re.fullmatch(number, first):
        return False
    cells = [c for c in s.split("|") if c.strip()]
    header_goes_on = bool(re.match(r"[一二三]级\s*指标", first))
    return len(cells) < 2 or not first or bool(re.fullmatch(number, first)) or header_goes_on


def _next_is_pipe(lines: list[str], i: int) -> bool:
    nxt = next((ln for ln in lines[i + 1 :] if ln.strip()), "")
    return "|" in nxt


def _read_cell_lines(lines: list[str]) -> list[Block]:
    """One cell per line marked by pipes (see :mod:`.pipe_cells`): tables of the rows, prose between."""
    blocks: list[Block] = []
    prose: list[tuple[int, str]] = []
    rows: list[list[str]] = []
    start = 0

    def close() -> None:
        nonlocal rows
        if rows:
            blocks.append(Table(index=0, rows=split_body_rows(rows), line=start, caption=_caption_from(prose)))
            rows = []

    for lineno, item in cell_rows(lines):
        if isinstance(item, list):
            if not rows:
                blocks.extend(_paragraph_blocks(prose, 0))
                start = lineno
            rows.append(item)
            prose = [] if rows else prose
        else:
            close()
            prose.append((lineno, item))
    close()
    blocks.extend(_paragraph_blocks(prose, 0))
    return blocks


def _read_pipe_layout(lines: list[str]) -> list[Block]:
    """Rows on one line (``a | b``) or one cell per line ending in ``|`` with a blank line per row."""
    if is_cell_lines_flavour(lines):
        return _read_cell_lines(lines)
    joined = _join_open_rows(lines) if _padded_rows_flavour(lines) else list(lines)
    blocks: list[Block] = []
    pending_para: list[tuple[int, str]] = []
    raw_rows: list[str] = []  # whole-row lines of the open table
    rows: list[list[str]] = []
    cell_row: list[str] = []  # one-cell-per-line accumulator
    start = 0

    def close() -> None:
        nonlocal rows, cell_row, raw_rows
        _flush_raw()
        if cell_row:
            rows.append(cell_row)
            cell_row = []
        if rows:
            caption = _caption_from(pending_para)
            blocks.extend(_paragraph_blocks(pending_para, 0))
            pending_para.clear()
            blocks.append(Table(index=0, rows=rows, line=start, caption=caption))
            rows = []

    def _flush_raw() -> None:
        nonlocal raw_rows
        if raw_rows:
            stripped = [r.strip() for r in raw_rows]
            bordered = all(r.startswith("|") and r.endswith("|") for r in stripped)
            for r in stripped:
                cells = _split_pipe(r, bordered)
                if not all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                    rows.append(cells)
            raw_rows = []

    for i, line in enumerate(joined):
        if line is None:
            continue
        s = line.strip()
        whole_row = s.count("|") >= 2 or (s.count("|") == 1 and not s.endswith("|"))
        if whole_row:
            if cell_row:
                rows.append(cell_row)
                cell_row = []
            if not rows and not raw_rows:
                start = i + 1
            raw_rows.append(line)
        elif s.endswith("|"):
            _flush_raw()
            if not rows and not cell_row:
                start = i + 1
            cell_row.append(s[:-1].strip())
        elif not s:
            if cell_row:
                rows.append(cell_row)
                cell_row = []
            elif rows or raw_rows:
                nxt = next((ln for ln in joined[i + 1 :] if ln and ln.strip()), "")
                if not _is_pipe_row(nxt):
                    close()
            if not rows and not raw_rows and not cell_row:
                pending_para.append((i + 1, ""))
        else:
            close()
            pending_para.append((i + 1, line))
    close()
    blocks.extend(_paragraph_blocks(pending_para, 0))
    return blocks


# ---------------------------------------------------------------------------------------
# Paragraphs
# ---------------------------------------------------------------------------------------


def _paragraph_blocks(lines: list[tuple[int, str]], start_index: int) -> list[Block]:
    """Turn raw lines into paragraphs, re-joining sentences cut by a line break."""
    paras: list[Block] = []
    buf = ""
    buf_line = 0
    after_blank = False
    last = ""  # the last line joined into ``buf``
    for lineno, raw in lines:
        s = raw.strip()
        if not s:
            after_blank = True
            continue
        if (
            buf
            and _continues(buf, s)
            and not (after_blank and _is_cell_line(buf, s))
            and not _is_row_line(last)
            and not _is_row_line(s)
        ):
            after_blank = False
            buf += s
            last = s
            continue
        after_blank = False
        if buf:
            paras.append(Paragraph(index=0, text=buf, line=buf_line))
        buf, buf_line, last = s, lineno, s
    if buf:
        paras.append(Paragraph(index=0, text=buf, line=buf_line))
    return paras


_ROW_NUMBER_TOKEN = re.compile(r"^[-+]?\d[\d,，.]*%?$|^[-—/]+$")


def _is_row_line(line: str) -> bool:
    """A table row flattened onto one line ("数量指标 指标1:巡护里程 300公里 320公里 20 20", a header of
    short words): two or more bare numbers, or four or more short space-separated words."""
    tokens = line.split()
    if sum(1 for t in tokens if _ROW_NUMBER_TOKEN.match(t)) >= 2:
        return True
    return len(tokens) >= 4 and all(len(t) <= 12 for t in tokens)


def _is_cell_line(prev: str, nxt: str) -> bool:
    """Across a blank line, a short line without sentence punctuation stands alone (a form's cell)."""
    return len(nxt) <= _CELL_LINE_MAX and not re.search(r"[。；，,;]", nxt) or not re.search(r"[。；，,;]", prev)


_TITLE_END = re.compile(r"(?:说明|报告|表|公开|情况|通知|批复|决算|预算|目录)$")
_STANDS_ALONE_NEXT = re.compile(r"^(?:[-+]?[\d,，.]+%?|(?:金额)?单位[:：].*)$")  # a number, a unit line


def _continues(prev: str, nxt: str) -> bool:
    """Whether ``nxt`` continues the sentence ``prev`` was cut in."""
    if prev[-1] in _TERMINAL or len(prev) < 15:
        return False
    if _TITLE_END.search(prev) and not re.search(r"[，。；,;]", prev):
        return False  # a title line ("…2021年“三公”经费预算情况说明") stands alone
    if _STANDS_ALONE_NEXT.match(nxt.strip()):
        return False  # a cell of a table copied one cell per line
    if _HEADING.match(prev) and len(prev) < 40:
        return False
    return not (_HEADING.match(nxt) or STANDALONE_LINE.fullmatch(nxt.strip()))


def _prose_with_spaced_tables(lines: list[str]) -> list[Block]:
    """Prose, with the space-aligned tables among it read as tables (see :mod:`.spaced`)."""
    blocks: list[Block] = []
    start = 0
    for first, end, rows in find_tables(lines):
        before = [(i + 1, lines[i]) for i in range(start, first)]
        blocks.extend(_paragraph_blocks(before, start_index=0))
        blocks.append(Table(index=0, rows=rows, line=first + 1, caption=_caption_from(before)))
        start = end
    blocks.extend(_paragraph_blocks([(i + 1, lines[i]) for i in range(start, len(lines))], start_index=0))
    return blocks


def _renumber(blocks: list[Block]) -> None:
    for i, b in enumerate(blocks):
        b.index = i
