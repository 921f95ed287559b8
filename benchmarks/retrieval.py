"""Retrieval quality on narrative questions: hit@1, hit@3 and MRR of BM25 alone, dense alone and the hybrid.

A question is about one report (``file``) and is answered by one of its paragraphs. A retrieved passage is a hit
when it comes from that file and holds the gold ``passage`` (a verbatim phrase of the answering paragraph) or, for
the gold files' narrative questions that name no passage, every ``must_contain`` phrase. Whitespace is ignored.

Questions come from tests/fixtures/gold/narrative_gold.jsonl (written by reading the reports) and from the
narrative questions of the other gold files whose report is in the store.
"""
from __future__ import annotations

import json
import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["NarrativeItem", "load_items", "rank_of", "score", "Scores"]

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class NarrativeItem:
    id: str
    question: str
    file: str
    phrases: tuple[str, ...]  # all must be in the passage


def _squeeze(text: str) -> str:
    return _SPACE.sub("", text)


def load_items(path: Path) -> list[NarrativeItem]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("kind") != "narrative":
            continue
        file = row.get("file") or (row.get("source") or {}).get("file")
        phrases = (row["passage"],) if row.get("passage") else tuple((row.get("expect") or {}).get("must_contain", ()))
        if file and phrases:
            items.append(NarrativeItem(row["id"], row["question"], file, tuple(_squeeze(p) for p in phrases)))
    return items


def rank_of(item: NarrativeItem, hits) -> int | None:
    """1-based rank of the first passage that answers the item, or None."""
    for rank, hit in enumerate(hits, 1):
        if Path(hit.report.source).name == item.file:
            text = _squeeze(hit.text)
            if all(p in text for p in item.phrases):
                return rank
    return None


@dataclass(frozen=True)
class Scores:
    mode: str
    n: int
    hit1: int
    hit3: int
    mrr: float
    p50_ms: float
    misses: tuple[str, ...]

    def line(self) -> str:
        return (f"{self.mode:7s} hit@1 {self.hit1:3d}/{self.n} ({self.hit1 / self.n:5.1%})  "
                f"hit@3 {self.hit3:3d}/{self.n} ({self.hit3 / self.n:5.1%})  MRR@10 {self.mrr:.3f}  "
                f"query p50 {self.p50_ms:6.1f} ms")


def score(service, items: list[NarrativeItem], mode: str, limit: int = 10) -> Scores:
    hit1 = hit3 = 0
    reciprocal = 0.0
    times = []
    misses = []
    for item in items:
        started = time.perf_counter()
        hits = service.passages(item.question, mode=mode, limit=limit)
        times.append(time.perf_counter() - started)
        rank = rank_of(item, hits)
        hit1 += rank == 1
        hit3 += rank is not None and rank <= 3
        reciprocal += 1 / rank if rank else 0.0
        if not rank or rank > 3:
            misses.append(item.id)
    n = max(1, len(items))
    return Scores(mode, len(items), hit1, hit3, reciprocal / n, statistics.median(times) * 1000 if times else 0.0,
                  tuple(misses))
