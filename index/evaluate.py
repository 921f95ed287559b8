"""Judging answers against a gold file (the format of tests/fixtures/gold/README.md)."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import NianbaoError

from .model import Answer

__all__ = ["GoldItem", "load_gold", "judge", "verdict", "summarize"]


@dataclass(frozen=True)
class GoldItem:
    id: str
    question: str
    kind: str
    org: str | None
    year: int | None
    expect: dict
    after: tuple[str, ...] = ()  # a follow-up: the questions asked before it in the same chat, in order


def load_gold(path: Path) -> list[GoldItem]:
    items = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise NianbaoError(f"无法读取评测文件 {path}：{e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise NianbaoError(f"评测文件 {path} 不是 UTF-8 文本，请另存为 UTF-8。") from e
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            items.append(GoldItem(data["id"], data["question"], data["kind"], data.get("org"), data.get("year"),
                                  data.get("expect", {}), tuple(data.get("after", ()))))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as e:
            raise NianbaoError(f"{path} 第 {number} 行不是有效的评测题（{e}）。") from e
    return items


def _same_number(a: float | None, b) -> bool:
    return a is not None and b is not None and abs(float(a) - float(b)) < 1e-6


def judge(item: GoldItem, answer: Answer) -> list[str]:
    """Reasons the answer fails the item; empty when it passes."""
    reasons: list[str] = []
    expect = item.expect
    cited = {c.org for c in answer.citations}
    if item.kind in ("numeric", "aggregate"):
        if not _same_number(answer.value, expect.get("value")):
            reasons.append(f"value {answer.value!r} ≠ {expect.get('value')!r}")
        if expect.get("unit") and answer.unit != expect["unit"]:
            reasons.append(f"unit {answer.unit!r} ≠ {expect['unit']!r}")
        if item.org and item.org not in cited:
            reasons.append(f"no citation of {item.org} (cited: {sorted(cited)})")
        if expect.get("org") and answer.org != expect["org"]:
            reasons.append(f"org {answer.org!r} ≠ {expect['org']!r}")
        if item.kind == "aggregate" and not answer.citations:
            reasons.append("no citations")
    elif item.kind == "narrative":
        missing = [p for p in expect.get("must_contain", []) if p not in answer.answer]
        if missing:
            reasons.append(f"answer lacks {missing}")
        if item.org and item.org not in cited:
            reasons.append(f"no citation of {item.org} (cited: {sorted(cited)})")
    elif item.kind == "none":
        # a not-found answer, or a table answer that says its cell gives no number (blank, unknown): no value
        if answer.value is not None or answer.kind == "narrative":
            reasons.append(f"expected a not-found answer, got kind={answer.kind} value={answer.value!r}")
    return reasons


def verdict(item: GoldItem, answer: Answer, reasons: list[str]) -> str:
    """right | wrong (a number given that is not the gold one, or any number where the reports hold none) |
    refused (no number where one was expected; or a not-found answer to a text question) | missed (the answer
    lacks a phrase or the right citation)."""
    if not reasons:
        return "right"
    expected = item.expect.get("value")
    if answer.value is not None and (item.kind == "none" or (expected is not None and not _same_number(answer.value,
                                                                                                          expected))):
        return "wrong"
    if item.kind in ("numeric", "aggregate") and answer.value is None:
        return "refused"
    if item.kind == "narrative" and answer.kind == "none":
        return "refused"
    return "missed"


def summarize(results: Iterable[tuple[GoldItem, str]]) -> dict[str, dict[str, int]]:
    """Per kind: how many right, wrong, refused and missed (``verdict``), and the total."""
    by_kind: dict[str, dict[str, int]] = {}
    for item, outcome in results:
        counts = by_kind.setdefault(item.kind, {"right": 0, "wrong": 0, "refused": 0, "missed": 0, "total": 0})
        counts[outcome] += 1
        counts["total"] += 1
    return by_kind
