"""What the check command reads from what a user types (/check 桥头胡 2020, python -m ingest check 平潭): the
bodies and the year, resolved as questions resolve names (``index.gazetteer``)."""
from __future__ import annotations

import re
from typing import NamedTuple

from .gazetteer import Gazetteer
from .wording import W

__all__ = ["check_args", "check_scope", "Scope"]


class Scope(NamedTuple):
    bodies: list[str] | None  # the bodies to check; None: every body held
    refusal: str | None = None  # why there is nothing to check (a body or year not held), else None


def check_scope(held: list[dict], body: str | None, year: int | None) -> Scope:
    """The bodies a consistency check of ``body`` in ``year`` covers, or why there is nothing to check: the body
    is not held, or has no report of that year. ``held``: the store's report rows; ``body`` may be a short name,
    a slip of one, an abbreviation or a place (/check 桥头胡, /check 莆田)."""
    if body is None:
        if year is not None and not any(r["year"] == year for r in held):
            return Scope(None, W.CHECK_NO_YEAR.format(year=year))
        return Scope(None)
    bodies = Gazetteer((r["body"], r["body_full"]) for r in held).named(body)
    if not bodies:
        names = sorted({r["body"] for r in held})
        known = "、".join(names[:8]) + (f" 等 {len(names)} 个" if len(names) > 8 else "")
        return Scope([], W.NO_BODY.format(body=f"“{body}”", known=known or "（无）"))
    if year is not None and not any(r["body"] in bodies and r["year"] == year for r in held):
        years = sorted({r["year"] for r in held if r["body"] in bodies})
        return Scope(bodies, W.NO_YEAR.format(body="、".join(bodies), year=year,
                                              years="、".join(f"{y}年" for y in years)))
    return Scope(bodies)


def check_args(words: list[str]) -> tuple[str | None, int | None]:
    """What follows /check: a body and a year in any order, written apart or together (桥头胡 2020, 桥头胡2020年,
    2020)."""
    text = "".join(words)
    year = re.search(r"((?:19|20)\d\d)年?", text)
    body = (text[:year.start()] + text[year.end():]).strip() if year else text.strip()
    return body or None, int(year[1]) if year else None
