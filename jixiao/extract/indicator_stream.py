"""Flattened 自评表 whose cells run together in one paragraph (placeholder)."""
from __future__ import annotations

from jixiao.extract.context import Context


def extract_indicator_streams(ctx: Context) -> list[tuple[float | None, float | None]]:
    return []
