"""自评表 whose rows were lost: cells in one stream, cut back into rows by the header.

Two families:

* one cell per line with no row marks, so a whole form is one long row of cells, blanks kept
  as empty cells (``blanks_kept``);
* a table flattened into one paragraph with single spaces between cells, where blank cells
  leave no trace.

The stream is cut into rows: a 项目名称 cell and its value, the budget block's header and rows,
the indicator header and its rows (leading level cells present or merged away: the level words
say which), and the 总分 row.  A row is cut only where its cells fit their columns and the next
cell can open a row; otherwise the cut stops there with a finding.  The rows are then read like
any table (:func:`jixiao.extract.indicators.walk_rows`).
"""

from __future__ import annotations

import re

from jixiao.extract.context import Context
from jixiao.extract.indicator_columns import (
    L3,
    SCORE,
    cell_text,
    header_role,
    header_roles,
    is_level1_word,
    is_level2_word,
    is_level_word,
    is_name,
    number,
)
from jixiao.extract.indicator_rows import try_alignment
from jixiao.extract.indicator_scrambled import scrambled_rows
from jixiao.extract.indicator_stream_marks import UNPLACEABLE
from jixiao.extract.indicator_undelimited import undelimited_rows
from jixiao.extract.project_tables import (
    B_OTHER,
    B_WEIGHT,
    LABEL,
    RATE,
    budget_header,
    budget_role,
    is_execution_label,
)
from jixiao.model import Paragraph, Table
from jixiao.text.numbers import is_blank, parse_amount

_TOTAL_LABELS = ("总分", "总计", "合计")

_HEADER_EXTRA = re.compile(r"原因|说明|计算方法|备注|改进措施")


def is_stream_row(row: list[str]) -> bool:
    """A table 'row' that is really a whole form in one run of cells (no row marks at all)."""
    texts = [cell_text(c) for c in row]
    return len(row) >= 30 and all(any(re.match(p, t) for t in texts) for p in ("一级指标", "二级指标", "三级指标"))


def stream_rows_of_table(row: list[str]) -> list[list[str]]:
    return recut(row, blanks_kept=True)


def paragraph_tokens(text: str) -> list[str] | None:
    """The cells of a paragraph flattened with single spaces, if it holds an indicator table."""
    if not all(w in text for w in ("一级指标", "二级指标", "三级指标")):
        return None
    tokens = text.split()
    if not any(re.match(r"^三级指标$", t) for t in tokens):
        return None
    return _merge_split_words(tokens)


def _merge_split_words(tokens: list[str]) -> list[str]:
    """Words a flattening split: '经济效益 指标', letter-spaced '产 出 指 标', '产出指标 (50分)', '项目资金 (万元)'."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        spaced = _letter_spaced(tokens, i)
        if spaced:
            out.append("".join(tokens[i:spaced]))
            i = spaced
            continue
        t = tokens[i]
        glued = out and (
            is_level_word(out[-1] + t)
            and not is_level_word(t)
            or re.fullmatch(r"[(（](?:万元|元|\d+(?:\.\d+)?分)[)）]", t)
            and not out[-1].endswith(")")
        )
        if glued:
            out[-1] += t
        else:
            out.append(t)
        i += 1
    return out


def _letter_spaced(tokens: list[str], i: int) -> int | None:
    """End of a level or header word written one character per token, starting at ``i``."""
    for end in range(min(len(tokens), i + 8), i + 1, -1):
        piece = tokens[i:end]
        if all(len(p) == 1 for p in piece):
            word = "".join(piece)
            if is_level_word(word) or header_role(word) not in (None, "other"):
                return end
    return None


def recut(tokens: list[str], blanks_kept: bool) -> list[list[str]]:
    """The rows of a cell stream (see the module doc)."""
    rows: list[list[str]] = []
    i, n = 0, len(tokens)
    while i < n:
        t = cell_text(tokens[i])
        if t == "项目名称" and i + 1 < n:
            rows.append([tokens[i], tokens[i + 1]])
            i += 2
            continue
        j = _budget_header_end(tokens, i)
        if j is not None:
            rows.append(list(tokens[i:j]))
            i = _budget_rows(tokens, j, rows, blanks_kept)
            continue
        j = _indicator_header_end(tokens, i)
        if j is not None:
            rows.append(list(tokens[i:j]))
            i = _indicator_rows(tokens, j, header_roles(list(tokens[i:j])) or [], rows, blanks_kept)
            continue
        rows.append([tokens[i]])
        i += 1
    return [r for r in rows if any(cell_text(c) for c in r)]


def _budget_header_end(tokens: list[str], i: int) -> int | None:
    j = i
    while j < len(tokens):
        t = cell_text(tokens[j])
        role = budget_role(t)
        if not t or parse_amount(t) is not None:
            break
        if is_execution_label(t) and (role != RATE or B_WEIGHT in map(budget_role, tokens[i:j])):
            break
        if role == B_OTHER and not (_HEADER_EXTRA.search(t) and len(t) <= 12):
            break
        j += 1
    if j - i >= 3 and budget_header(list(tokens[i:j])) is not None and budget_role(tokens[i]) == LABEL:
        return j
    return None


def _budget_rows(tokens: list[str], j: int, rows: list[list[str]], blanks_kept: bool) -> int:
    """Rows of the budget block: a label, then its values up to the next label."""
    cols = budget_header(rows[-1])
    assert cols is not None
    width = len(cols.roles)
    while j < len(tokens):
        label = cell_text(tokens[j])
        if not label or parse_amount(label) is not None or is_blank(label) or not _money_label(label):
            break
        k = j + 1
        values: list[str] = []
        while k < len(tokens) and len(values) < width:
            t = cell_text(tokens[k])
            if t and not _value_like(t) and cols.roles[len(values)] != B_OTHER:
                break
            values.append(tokens[k])
            k += 1
        if not blanks_kept and len(values) != width:
            rows.append([tokens[j], *values, UNPLACEABLE])  # values lost their columns: marked unplaceable
        else:
            rows.append([tokens[j], *values])
        j = k
    return j


def _money_label(label: str) -> bool:
    return bool(re.search(r"资金|总额|拨款|结转|财政|其他", label)) and len(label) <= 20


def _value_like(t: str) -> bool:
    return parse_amount(t) is not None or is_blank(t) or bool(re.fullmatch(r"[\d.,]+%?", t))


def _indicator_header_end(tokens: list[str], i: int) -> int | None:
    j = i
    while j < len(tokens) and header_role(tokens[j]) not in (None, "other"):
        j += 1
    while j < len(tokens) and header_role(tokens[j]) == "other" and _HEADER_EXTRA.search(cell_text(tokens[j])):
        j += 1
    if j - i >= 5 and header_roles(list(tokens[i:j])) is not None:
        return j
    return None


def _indicator_rows(tokens: list[str], j: int, roles: list[str], rows: list[list[str]], blanks_kept: bool) -> int:
    """Rows after the indicator header, each cut where its cells fit and the next cell opens a row."""
    if not roles:
        return j
    l3 = roles.index(L3)
    score_col = len(roles) - 1 - roles[::-1].index(SCORE)
    n = len(tokens)
    while j < n:
        t = cell_text(tokens[j])
        if t in _TOTAL_LABELS:
            k = j + 1
            while (
                k < n and k - j <= 3 and (number(tokens[k]) is not None or (blanks_kept and not cell_text(tokens[k])))
            ):
                k += 1
            rows.append(list(tokens[j:k]))
            return k
        levels, k = _leading_levels(tokens, j)
        if k >= n:
            if levels:
                rows.append(levels)
            return n
        if not is_name(tokens[k]):
            if levels:
                rows.append(levels)
                j = k
                continue
            return j
        missing = l3 - len(levels)
        if missing < 0:
            return j
        if blanks_kept:
            end = k + 1 + (len(roles) - 1 - l3)
        else:
            end = k + 1 + (score_col - l3)
        cells = levels + list(tokens[k:end])
        if not blanks_kept and score_col < len(roles) - 1:
            while end < n and is_blank(cell_text(tokens[end])) and cell_text(tokens[end]):
                end += 1  # a note column after 得分 holding '无' or '/'
            if end < n and _is_note(tokens, end):
                cells.append(tokens[end])  # the 偏差原因 note: the next cell opens a row by its level words
                end += 1
        if end > n or try_alignment(cells, missing, roles) is None or not _opens_row(tokens, end):
            if levels:
                rows.append(levels)
            rows.append([UNPLACEABLE, *tokens[k:end]])  # unplaceable: read as no row, with a finding
            return min(end, n)
        rows.append(cells)
        j = end
    return j


def _leading_levels(tokens: list[str], j: int) -> tuple[list[str], int]:
    """Level cells at ``j``: a level-1 word and/or a level-2 word, as the row states them."""
    out: list[str] = []
    if (
        j < len(tokens)
        and is_level1_word(tokens[j])
        and (
            not is_level2_word(tokens[j])
            or _has_points(tokens[j])
            or j + 1 < len(tokens)
            and is_level2_word(tokens[j + 1])
        )
    ):
        out.append(tokens[j])
        j += 1
    while j < len(tokens) and is_level2_word(tokens[j]) and j + 1 < len(tokens) and is_level2_word(tokens[j + 1]):
        out = out[:1]  # a level 2 with no rows of its own ('经济效益指标' then '社会效益指标')
        j += 1
    if j < len(tokens) and is_level2_word(tokens[j]):
        out.append(tokens[j])
        j += 1
    if (
        len(out) == 1
        and is_level1_word(out[0])
        and not is_level2_word(out[0])
        and j < len(tokens)
        and is_level1_word(tokens[j])
    ):
        return _leading_levels(tokens, j)  # a level 1 with no rows of its own
    return out, j


def _has_points(text: str) -> bool:
    return bool(re.search(r"[(（]\d+(?:\.\d+)?分[)）]", cell_text(text)))


def _is_note(tokens: list[str], k: int) -> bool:
    """A text cell after a row's score that cannot open a row itself: the next cell opens one by a level
    word or the 总分 label (a name there would need its values after it), or the stream ends."""
    t = cell_text(tokens[k])
    if not t or number(tokens[k]) is not None or t in _TOTAL_LABELS or is_level_word(t):
        return False
    if k + 1 == len(tokens):
        return True
    following = cell_text(tokens[k + 1])
    return following in _TOTAL_LABELS or is_level_word(following)


def _opens_row(tokens: list[str], k: int) -> bool:
    """Whether the cell at ``k`` can open a row (or the stream ends there)."""
    if k >= len(tokens):
        return True
    t = cell_text(tokens[k])
    if not t:
        return True
    return t in _TOTAL_LABELS or is_level_word(t) or is_name(t)


def extract_indicator_streams(ctx: Context) -> list[tuple]:
    """Cut every stream of the document into rows and read them as a table."""
    from jixiao.extract.indicators import walk_rows

    totals: list[tuple] = []
    for table in ctx.doc.tables():
        for row in table.rows:
            if is_stream_row(row):
                pseudo = Table(index=table.index, rows=stream_rows_of_table(row), line=table.line)
                totals += walk_rows(ctx, pseudo)
    for run in _paragraph_runs(ctx.doc.paragraphs()):
        scrambled = [(para, scrambled_rows(para.text)) for para in run]
        tokens = paragraph_tokens(_join_run([p.text for p in run])) if len(run) > 1 else None
        if tokens and not any(rows for _, rows in scrambled):
            # one form flattened over several paragraphs (cells broken over blank lines): read it whole
            totals += walk_rows(ctx, Table(index=run[0].index, rows=recut(tokens, blanks_kept=False), line=run[0].line))
            continue
        for para, rows in scrambled:
            if not rows:
                tokens = paragraph_tokens(para.text)
                rows = recut(tokens, blanks_kept=False) if tokens else undelimited_rows(para.text)
            if rows:
                totals += walk_rows(ctx, Table(index=para.index, rows=rows, line=para.line))
    return totals


def _paragraph_runs(paragraphs: list[Paragraph]) -> list[list[Paragraph]]:
    """Consecutive paragraphs that are not narrative (a long text ending a sentence ends a run)."""
    runs: list[list[Paragraph]] = [[]]
    for para in paragraphs:
        runs[-1].append(para)
        if len(para.text) > 80 and para.text.rstrip().endswith("。"):
            runs.append([])
    return [r for r in runs if r]


def _join_run(texts: list[str]) -> str:
    """The texts of a run as one: a number cut after its point ("14." / "5") is joined again."""
    out = ""
    for text in texts:
        if out and re.search(r"\d\.$", out) and re.match(r"\d", text):
            out += text
        else:
            out += (" " if out else "") + text
    return out
