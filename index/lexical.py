"""BM25 over jieba tokens, in SQLite FTS5 (the tokens were split by ingest with the same tokenizer).

Two paths, one scoring: with no report filter, FTS5 ranks the whole corpus (``bm25()``); when a question names
its reports, their few dozen passages are scored here with the same BM25 formula, the collection statistics
(document frequencies, corpus size) coming from the FTS5 vocabulary. Filtering first keeps a question about one
body fast however large the corpus is. Terms that occur in most passages are dropped when others remain.

Reading a term's document frequency walks its whole posting list (20 ms for a common word over 10,000 reports),
and questions reuse the same words, so the caller may pass a cache that lives as long as the corpus size it
passes (the Answerer's: both are read once per store it opens).
"""
from __future__ import annotations

import math
import sqlite3
from collections import Counter
from collections.abc import Sequence

from ingest.tokenize import tokenize

__all__ = ["LexicalIndex", "match_expression", "bm25_scores"]

K1, B = 1.2, 0.75  # FTS5's bm25() defaults
MAX_CACHED_TERMS = 200_000


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def match_expression(tokens: Sequence[str], report_ids: Sequence[str] = (), kind: str | None = "text") -> str | None:
    """The FTS5 MATCH string: any of the tokens, within the given reports and kind; None without tokens."""
    if not tokens:
        return None
    parts = ["(" + " OR ".join(f"tokens:{_quote(t)}" for t in dict.fromkeys(tokens)) + ")"]
    if report_ids:
        parts.append("(" + " OR ".join(f"tags:{_quote('r' + r)}" for r in report_ids) + ")")
    if kind:
        parts.append(f"tags:{_quote('k' + kind)}")
    return " AND ".join(parts)


def bm25_scores(query: Sequence[str], documents: dict[int, list[str]], doc_freq: dict[str, int],
                total: int, average_length: float) -> dict[int, float]:
    """Okapi BM25 (higher is better) of each document for the query terms."""
    scores: dict[int, float] = {}
    for doc_id, tokens in documents.items():
        counts = Counter(tokens)
        norm = K1 * (1 - B + B * len(tokens) / max(average_length, 1.0))
        score = 0.0
        for term in query:
            tf = counts.get(term, 0)
            if tf:
                df = doc_freq.get(term, 0)
                idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
                score += idf * tf * (K1 + 1) / (tf + norm)
        if score > 0:
            scores[doc_id] = score
    return scores


class LexicalIndex:
    def __init__(self, conn: sqlite3.Connection, total: int | None = None, doc_freqs: dict[str, int] | None = None):
        """``total``: the number of passages, if the caller already knows it (it costs a scan); ``doc_freqs``: a
        term -> document frequency cache to fill and reuse (see the module docstring)."""
        self.conn = conn
        self.total = total if total is not None else conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        self._doc_freqs = doc_freqs if doc_freqs is not None else {}

    def _doc_freq(self, tokens: list[str]) -> dict[str, int]:
        # the cache is shared between threads (and cleared when full): read each term once, then keep to this call
        cached = {t: freq for t in tokens if (freq := self._doc_freqs.get(t)) is not None}
        missing = [t for t in tokens if t not in cached]
        if missing:
            marks = ",".join("?" * len(missing))
            found = dict(self.conn.execute(f"SELECT term, doc FROM passages_vocab WHERE term IN ({marks})", missing))
            fresh = {t: found.get(t, 0) for t in missing}
            if len(self._doc_freqs) > MAX_CACHED_TERMS:
                self._doc_freqs.clear()
            self._doc_freqs.update(fresh)
            cached |= fresh
        return cached

    def search(self, text: str, report_ids: Sequence[str] = (), kind: str | None = "text",
               limit: int = 20) -> list[tuple[int, float]]:
        """(passage id, bm25 score: higher is better) for ``text``, best first."""
        tokens = list(dict.fromkeys(tokenize(text)))
        if not tokens:
            return []
        doc_freq = self._doc_freq(tokens)
        if self.total >= 200:
            common = {t for t in tokens if doc_freq.get(t, 0) > 0.3 * self.total}
            if common and len(common) < len(tokens):
                tokens = [t for t in tokens if t not in common]
        if report_ids and len(report_ids) <= 20:
            return self._within(tokens, report_ids, kind, limit, doc_freq)
        expression = match_expression(tokens, report_ids, kind)
        rows = self.conn.execute(
            "SELECT rowid, bm25(passages_fts, 1.0, 0.0) AS score FROM passages_fts WHERE passages_fts MATCH ?"
            " ORDER BY score LIMIT ?", (expression, limit)).fetchall()
        return [(rowid, -score) for rowid, score in rows]

    def _within(self, tokens: list[str], report_ids: Sequence[str], kind: str | None, limit: int,
                doc_freq: dict[str, int]) -> list[tuple[int, float]]:
        marks = ",".join("?" * len(report_ids))
        sql = (f"SELECT p.id, f.tokens FROM passages p JOIN passages_fts f ON f.rowid = p.id"
               f" WHERE p.report_id IN ({marks})" + (" AND p.kind = ?" if kind else ""))
        rows = self.conn.execute(sql, [*report_ids, *([kind] if kind else [])]).fetchall()
        documents = {pid: tokens_text.split() for pid, tokens_text in rows}
        if not documents:
            return []
        average = sum(len(t) for t in documents.values()) / len(documents)
        scores = bm25_scores(tokens, documents, doc_freq, max(self.total, len(documents)), average)
        return sorted(scores.items(), key=lambda item: -item[1])[:limit]
