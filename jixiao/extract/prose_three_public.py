"""三公经费 stated in sentences: a category and its amount, the phase from the clause, the sentence
or the passage; a bare phase after a category restates that category ("…决算为3.2万元，完成全年预算4万元")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.extract.context import Context
from jixiao.extract.prose_phase import last_phase
from jixiao.extract.vocab import PROSE_ITEMS, PROSE_THREE_PUBLIC
from jixiao.model import Provenance
from jixiao.text.numbers import Amount

_CATEGORIES = [(code, re.compile(p)) for code, p in PROSE_THREE_PUBLIC]
_ITEM_WORDS = re.compile("|".join(f"(?:{p})" for code, p in PROSE_ITEMS if code != "total"))


def category_in(text: str) -> tuple[str, re.Match] | None:
    """The 三公 category named nearest the end of ``text``."""
    best: tuple[str, re.Match] | None = None
    for code, rx in _CATEGORIES:
        for m in rx.finditer(text):
            if best is None or m.end() > best[1].end() or (m.end() == best[1].end() and m.start() < best[1].start()):
                best = (code, m)
    return best


def tp_phase(phase: str | None) -> str | None:
    """三公 phases are budget or actual."""
    if phase is None:
        return None
    return "actual" if phase == "actual" else "budget"


@dataclass
class ThreePublicRun:
    """The 三公 categories of one sentence."""

    last: str | None = None
    phase: str | None = None

    def take(
        self,
        ctx: Context,
        label: str,
        before: str,
        amount: Amount,
        year,
        prov: Provenance,
        sentence_phase: str | None,
        running_phase: str | None,
    ) -> bool:
        """Add the amount as a 三公 fact if its clause names a category (or restates the last one); True when taken."""
        found = category_in(before)
        if found is None:
            if self.last is None or _ITEM_WORDS.search(label):
                return False
            carried = tp_phase(last_phase(before))
            if carried is not None and carried != self.phase:
                self._add(ctx, self.last, carried, before.strip(), amount, year, prov)
                self.phase = carried
            return True
        code, m = found
        rest = before[: m.start()] + " " + before[m.end() :]
        phase = tp_phase(last_phase(rest)) or self.phase or tp_phase(sentence_phase) or tp_phase(running_phase)
        if phase is None:
            return True  # nothing says whether this is the budget or what was spent
        self.last, self.phase = code, phase
        self._add(ctx, code, phase, m.group(0), amount, year, prov)
        return True

    @staticmethod
    def _add(ctx: Context, code: str, phase: str, label: str, amount: Amount, year, prov: Provenance) -> None:
        ctx.add_amount(
            "fct_three_public_expenses",
            year,
            {"category": code, "phase": phase},
            label,
            amount,
            "prose",
            prov,
            "category_label_zh",
        )
