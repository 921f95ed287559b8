"""BM25 over jieba tokens, in SQLite FTS5 (the tokens were split by ingest with the same tokenizer).

Filters run inside FTS5 through the ``tags`` column (``r<report id>``, ``k<kind>``), so a question about one body
only scores that body's passages. Terms that occur in most passages are dropped from the query when other terms
remain: they cost time and say nothing.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from ingest.tokenize import tokenize

__all__ = ["LexicalIndex", "match_expression"]


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


class LexicalIndex:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def _common(self, tokens: list[str]) -> set[str]:
        total = self.conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        if total < 200:
            return set()
        marks = ",".join("?" * len(tokens))
        rows = self.conn.execute(f"SELECT term, doc FROM passages_vocab WHERE term IN ({marks})", tokens).fetchall()
        return {term for term, doc in rows if doc > 0.3 * total}

    def search(self, text: str, report_ids: Sequence[str] = (), kind: str | None = "text",
               limit: int = 20) -> list[tuple[int, float]]:
        """(passage id, bm25 score: higher is better) for ``text``, best first."""
        tokens = list(dict.fromkeys(tokenize(text)))
        if not tokens:
            return []
        common = self._common(tokens)
        if common and len(common) < len(tokens):
            tokens = [t for t in tokens if t not in common]
        expression = match_expression(tokens, report_ids, kind)
        rows = self.conn.execute(
            "SELECT rowid, bm25(passages_fts, 1.0, 0.0) AS score FROM passages_fts WHERE passages_fts MATCH ?"
            " ORDER BY score LIMIT ?", (expression, limit)).fetchall()
        return [(rowid, -score) for rowid, score in rows]
