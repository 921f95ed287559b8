"""One body under several names, and an excerpt that names no body at all.

A body writes its name with or without its parent place from one year to the next (洪泽区人民政府 /
淮安市洪泽区人民政府). Two names are one body when the longer is the shorter with places in front, and the two
never report for the same year (two reports of one year are two bodies: 南京市 and 福州市 both have a 鼓楼区).
An excerpt of a report (a page or two of tables, no title) names neither body nor year; it is the excerpt of a
held report when every number it states is that report's.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from .model import Cell

__all__ = ["same_body", "canonical_name", "stated_cells", "MIN_EXCERPT_CELLS"]

_PLACES = re.compile(r"(?:[\u4e00-\u9fff]{1,10}?(?:省|自治区|市|自治州|州|盟|地区|县|区|旗))+")
MIN_EXCERPT_CELLS = 5  # non-zero cells that must all agree before an excerpt is taken for a held report's


def same_body(a: str, b: str) -> bool:
    """``a`` and ``b`` name one body written with and without its parent places."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return long.endswith(short) and bool(_PLACES.fullmatch(long[:-len(short)])) and len(short) >= 3


def canonical_name(name: str, held: Iterable[tuple[str, set[int]]], year: int) -> str | None:
    """The held name ``name`` is another way of writing (the one other name, with no report in ``year``), or None."""
    matches = [other for other, years in held if other != name and same_body(name, other) and year not in years]
    return matches[0] if len(matches) == 1 else None


def stated_cells(cells: Iterable[Cell]) -> list[tuple[str, str, str, float]]:
    """The cells an excerpt is matched by: stated, non-zero (zeros agree with almost any report)."""
    return [(c.table, c.row_key, c.col_key, c.value) for c in cells
            if c.status == "ok" and c.value is not None and c.value != 0]
