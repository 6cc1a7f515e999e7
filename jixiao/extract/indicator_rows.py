"""Aligning a data row of a scored indicator table to its header, by consistency.

Rows of real tables rarely have the header's width: level cells merged over several rows are
missing from all but the first (rowspans), padding cells trail, a group label heads the level
columns but has no cell below.  Every plausible alignment is tried (0, 1 or 2 leading level cells
missing, leading blank cells dropped) and kept only if its cells fit their columns: level cells
are level words or blank, the name is text, 分值 a number, 得分 a number or blank, nothing beyond
the header.  When the alignments that fit disagree on a value, the row is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.extract.indicator_columns import (
    GROUP,
    L1,
    L2,
    L3,
    SCORE,
    SPLIT,
    TARGET,
    WEIGHT,
    cell_text,
    clean_name,
    header_role,
    is_level1_word,
    is_level2_cell,
    is_level_word,
    is_name,
    number,
    rule_points,
)


@dataclass
class AlignedRow:
    level1: str | None  # the cell text when the row states it (else carried from above)
    level2: str | None
    name: str
    name_col: int  # column of the name in the row as read (provenance)
    target: str | None
    actual: str | None
    weight: float
    score: float | None
    cells: dict[str, str]  # role → cell text, for the other columns


@dataclass
class RowReading:
    row: AlignedRow | None = None
    ambiguous: bool = False  # several alignments fit and disagree
    levels: tuple[str | None, str | None] = (None, None)  # level words stated by a row that holds no indicator
    reason: str = ""


def align_row(row: list[str], roles: list[str]) -> RowReading:
    """The one reading of ``row`` under ``roles`` that fits, or why there is none."""
    cells = list(row)
    while cells and not cell_text(cells[-1]):
        cells.pop()
    if cells and header_role(cells[0]) == GROUP:
        cells[0] = ""  # the 绩效指标 label repeated into every row of a merged column
    lead_blanks = 0
    while lead_blanks < len(cells) and not cell_text(cells[lead_blanks]):
        lead_blanks += 1
    l3 = roles.index(L3)
    fits: list[AlignedRow] = []
    for variant, shifted in [(cells, False)] + [(v, True) for v in _repeated_level_variants(cells)]:
        for drop in range(lead_blanks + 1):
            for missing in range(l3 + 1):
                reading = _try(variant, drop, missing, roles, len(row))
                if reading is not None:
                    if shifted:
                        reading.target = reading.actual = None
                    fits.append(reading)
    if not fits:
        short = len(row) < len(roles) and not any(not cell_text(c) for c in row[1:])
        reason = "the row stops before its 得分 column (cut off)" if short else "no alignment fits the header"
        return RowReading(levels=_stated_levels(cells), reason=reason)
    first = fits[0]
    for other in fits[1:]:
        if (other.name, other.weight, other.score) != (first.name, first.weight, first.score):
            return RowReading(ambiguous=True, reason="two alignments fit the header and disagree")
        if (other.level1, other.level2) != (first.level1, first.level2):
            return RowReading(ambiguous=True, reason="two alignments fit and disagree on the level names")
        if (other.target, other.actual) != (first.target, first.actual):
            first.target = first.actual = None
    return RowReading(row=first)


def try_alignment(cells: list[str], missing: int, roles: list[str]) -> AlignedRow | None:
    """``cells`` placed from column ``missing`` on, if every cell fits its column."""
    return _try(cells, 0, missing, roles, len(cells))


def _try(cells: list[str], drop: int, missing: int, roles: list[str], raw_len: int) -> AlignedRow | None:
    """Cells ``cells[drop:]`` placed from column ``missing`` on, if every cell fits its column."""
    placed = cells[drop:]
    if missing + len(placed) > len(roles):
        return None
    by_role: dict[str, str] = {}
    col_of: dict[str, int] = {}
    for j, text in enumerate(placed):
        role = roles[missing + j]
        if role in by_role and role not in (SPLIT,):
            by_role[role + "#2"] = text
            continue
        by_role[role] = text
        col_of[role] = drop + j
    l1, l2, name = (cell_text(by_role.get(r)) for r in (L1, L2, L3))
    l1_col, l2_col = (roles.index(r) if r in roles else -1 for r in (L1, L2))  # 一级指标 may head no column
    if missing <= l1_col and l1 and not is_level1_word(l1):
        return None
    if missing <= l2_col and l2 and not is_level2_cell(l2):
        return None
    if missing == 0 and l1_col >= 0 and not l1 and l2:
        return None  # a blank level-1 cell before a stated level 2: a merged cell, read by another alignment
    if not is_name(name):
        return None
    score_col = len(roles) - 1 - roles[::-1].index(SCORE)
    if raw_len - drop + missing <= score_col:
        return None  # the row ends before its 得分 column: cut off, not blank
    weight = number(by_role.get(WEIGHT))
    if weight is None and "分" in cell_text(by_role.get(WEIGHT)):
        weight = rule_points(cell_text(by_role.get(WEIGHT)))  # the 分值 cell holds the scoring rule
    score_text = cell_text(placed[score_col - missing]) if score_col - missing < len(placed) else ""
    score = number(score_text)
    if weight is None or (score_text and score is None):
        return None
    target = None if SPLIT in roles else _value(by_role.get(TARGET))
    actual = _value(by_role.get("actual"))
    return AlignedRow(
        level1=l1 or None if missing <= l1_col else None,
        level2=l2 or None if missing <= l2_col else None,
        name=name,
        name_col=col_of.get(L3, 0),
        target=target,
        actual=actual,
        weight=weight,
        score=score,
        cells=by_role,
    )


def _repeated_level_variants(cells: list[str]) -> list[list[str]]:
    """A merged level cell repeated into the name column ('经济效益指标 | 经济效益指标 | name | 3 | 10 | 10').

    The name moved one cell right; the cells from the 分值 on keep their places, and what lies
    between cannot be told apart (a placeholder keeps the width; target and actual are left out).
    """
    out = []
    for p in range(len(cells) - 2):
        if cell_text(cells[p]) and cell_text(cells[p]) == cell_text(cells[p + 1]) and is_level_word(cells[p]):
            out.append(cells[: p + 1] + [cells[p + 2], _UNKNOWN] + cells[p + 3 :])
    return out


_UNKNOWN = "\x00"


def _value(text: str | None) -> str | None:
    s = cell_text(text)
    return None if not s or s == _UNKNOWN else s


def _stated_levels(cells: list[str]) -> tuple[str | None, str | None]:
    """Level words a row without an indicator states ('质量指标 | | |', '效益指标(30分) | 经济效益 指标')."""
    words = [c for c in cells if cell_text(c)]
    if not words or not all(is_level_word(w) or is_level2_cell(w) for w in words) or len(words) > 2:
        return None, None
    if len(words) == 2:
        return (words[0], words[1]) if is_level1_word(words[0]) and is_level2_cell(words[1]) else (None, None)
    w = words[0]
    if is_level1_word(w) and (not is_level2_cell(w) or clean_name(w)[1] is not None):
        return w, None
    return None, w
