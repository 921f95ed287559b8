"""BM25 over jieba tokens, in SQLite FTS5 (the tokens were split by ingest with the same tokenizer).

Two ways. A question about a few named reports (at most ``FEW_REPORTS``) has their few dozen passages scored here
(``bm25_scores``, with the collection statistics of the FTS5 vocabulary): 0.1 ms for one report however large the
corpus. Its ranking is not FTS5's (another idf, the reports' own average length) and the answers about a body rest
on it, so it stays where it was.

Any other question is ranked exactly as FTS5's ``bm25()`` ranks it, without FTS5 ranking it. That score is a sum over
the query's terms of the term's share in the passage (its idf times its saturated, length-normalised frequency), so
each term's shares in every passage of a kind are read once, by a MATCH of that term alone, and kept as arrays. A
question adds its terms' arrays up (in FTS5's order: the same score to the last bit), keeps its reports' passages
by a mask, and takes the best, equal scores by row id as FTS5 returns them. The reports in scope are never terms of
a MATCH (9,000 of them made a 288 KB MATCH string and seconds of work), and no question has FTS5 rank the whole
posting lists of its common words again (0.1 s a question at 10,000 reports, 1 s at 100,000). A report's passages
are consecutive rows (ingest numbers them so): where each report's rows start maps every passage to its report.

Reading a term's shares costs about 1 µs per passage holding it (0.3 s for a word in 300,000 passages at 100,000
reports), once; a question over kept terms then takes 1–5 ms at 10,000 reports and 3–20 ms at 100,000. bm25s was
not taken: it keeps every term's shares (11 million term–passage pairs in the text of 10,000 reports, ~0.9 GB at
100,000 as its float32 sparse matrix) and ranks by its own statistics (its own passage count and average length),
not the FTS5 table's, so the answers would change.

Terms that occur in most passages are dropped when others remain.

What is read once (document frequencies, the terms' shares, where each report's passages lie, the masks of the
scopes asked about) is kept in the ``cache`` the caller passes, which must live no longer than the store is
unchanged (the Answerer's is renewed whenever it reopens the store). The shares are bounded by ``MAX_SHARES``
(12 bytes each), the least recently used dropped first.
"""
from __future__ import annotations

import math
import sqlite3
import threading
from collections import Counter, OrderedDict
from collections.abc import Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any

from ingest.tokenize import tokenize

if TYPE_CHECKING:
    import numpy as np

__all__ = ["LexicalIndex", "match_expression", "bm25_scores", "FEW_REPORTS"]

K1, B = 1.2, 0.75  # FTS5's bm25() defaults
MAX_CACHED_TERMS = 200_000
FEW_REPORTS = 20  # at most this many reports: their passages are scored here, not through the whole index
MAX_SHARES = 16_000_000  # (passage, term) shares kept: ~190 MB
MAX_MASKS = 16


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


class _Kept:
    """What the index has read of one store, shared by the threads answering from it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.doc_freqs: dict[str, int] = {}
        self.rows: dict[str | None, np.ndarray] = {}  # kind -> the row ids of its passages, ascending
        self.owners: dict[str | None, np.ndarray] = {}  # kind -> the number of each of those rows' report
        self.spans: tuple[dict[str, int], np.ndarray, np.ndarray] | None = None  # see LexicalIndex._spans
        self.shares: OrderedDict[tuple[str | None, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self.held = 0  # shares kept
        self.masks: OrderedDict[tuple, np.ndarray] = OrderedDict()

    def recent(self, cache: OrderedDict, key):
        """``cache[key]`` (marked as the most recently used), or None."""
        with self.lock:
            found = cache.get(key)
            if found is not None:
                cache.move_to_end(key)
            return found

    def forget(self) -> None:
        """Drop all that was read against the passage rows (the document frequencies stay)."""
        with self.lock:
            self.rows, self.owners, self.spans = {}, {}, None
            self.shares, self.held, self.masks = OrderedDict(), 0, OrderedDict()


class _StoreChanged(Exception):
    """A term's passages are not among the rows read before: the store was written to in between."""


_KEPT = "lexical"  # the key of what the index keeps in the caller's cache


class LexicalIndex:
    def __init__(self, conn: sqlite3.Connection, total: int | None = None, cache: dict[Any, Any] | None = None):
        """``total``: the number of passages, if the caller already knows it (it costs a scan); ``cache``: a dict to
        keep what is read in and reuse (see the module docstring)."""
        self.conn = conn
        self.total = total if total is not None else conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        cache = cache if cache is not None else {}
        self._kept: _Kept = cache.get(_KEPT) or cache.setdefault(_KEPT, _Kept())

    def _doc_freq(self, tokens: list[str]) -> dict[str, int]:
        # the cache is shared between threads (and cleared when full): read each term once, then keep to this call
        doc_freqs = self._kept.doc_freqs
        cached = {t: freq for t in tokens if (freq := doc_freqs.get(t)) is not None}
        missing = [t for t in tokens if t not in cached]
        if missing:
            marks = ",".join("?" * len(missing))
            found = dict(self.conn.execute(f"SELECT term, doc FROM passages_vocab WHERE term IN ({marks})", missing))
            fresh = {t: found.get(t, 0) for t in missing}
            if len(doc_freqs) > MAX_CACHED_TERMS:
                doc_freqs.clear()
            doc_freqs.update(fresh)
            cached |= fresh
        return cached

    def search(self, text: str, report_ids: Sequence[str] = (), kind: str | None = "text",
               limit: int = 20) -> list[tuple[int, float]]:
        """(passage id, bm25 score: higher is better) for ``text`` within the given reports (all when none) and kind
        (any when None), best first. Pass a scope's ids as the same tuple each time: its mask is kept by it."""
        tokens, doc_freq = self.terms(text)
        if not tokens:
            return []
        if report_ids and len(report_ids) <= FEW_REPORTS:
            return self._within(tokens, report_ids, kind, limit, doc_freq)
        return self._ranked(tokens, tuple(report_ids), kind, limit)

    def terms(self, text: str) -> tuple[list[str], dict[str, int]]:
        """The terms ``text`` is searched for, each once (those in most passages dropped when others remain), and
        the document frequency of each of its tokens."""
        tokens = list(dict.fromkeys(tokenize(text)))
        if not tokens:
            return [], {}
        doc_freq = self._doc_freq(tokens)
        if self.total >= 200:
            common = {t for t in tokens if doc_freq.get(t, 0) > 0.3 * self.total}
            if common and len(common) < len(tokens):
                tokens = [t for t in tokens if t not in common]
        return tokens, doc_freq

    def passage_ids(self, report_ids: Sequence[str], kind: str | None = "text") -> list[int]:
        """The ids of the passages of a kind (any when None) of the given reports."""
        rows = self._rows(kind)
        return rows[self._mask(tuple(report_ids), kind)].tolist() if report_ids else rows.tolist()

    # --- a few reports: their passages scored here ----------------------------------------------------------
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

    # --- any other question: FTS5's scores, added up from each term's shares --------------------------------
    def _ranked(self, tokens: list[str], report_ids: tuple[str, ...], kind: str | None,
                limit: int) -> list[tuple[int, float]]:
        try:
            return self._added(tokens, report_ids, kind, limit)
        except _StoreChanged:  # written to while it was read: read it again (the Answerer reopens it next question)
            self._kept.forget()
            return self._added(tokens, report_ids, kind, limit)

    def _added(self, tokens: list[str], report_ids: tuple[str, ...], kind: str | None,
               limit: int) -> list[tuple[int, float]]:
        import numpy as np

        rows = self._rows(kind)
        shares = [self._shares(kind, token) for token in tokens]
        if not shares:
            return []
        positions = np.concatenate([p for p, _ in shares])
        weights = np.concatenate([w for _, w in shares])
        # each passage's shares are added in the query's term order, from 0.0, as FTS5's bm25() adds them
        scores = np.bincount(positions, weights, minlength=len(rows))
        matched = scores > 0
        if report_ids:
            matched &= self._mask(report_ids, kind)
        return [(int(rows[i]), float(scores[i])) for i in _best(scores, matched, limit)]

    def _rows(self, kind: str | None) -> np.ndarray:
        """The row ids of the passages of ``kind`` (all when None), ascending."""
        import numpy as np

        rows = self._kept.rows.get(kind)
        if rows is None:
            if kind is None:
                listed = self.conn.execute("SELECT group_concat(id) FROM passages").fetchone()[0]
            else:
                listed = self.conn.execute("SELECT group_concat(rowid) FROM passages_fts WHERE passages_fts MATCH ?",
                                           (f"tags:{_quote('k' + kind)}",)).fetchone()[0]
            rows = np.sort(np.fromstring(listed, dtype=np.int64, sep=",")) if listed else np.zeros(0, np.int64)
            self._kept.rows[kind] = rows
        return rows

    def _shares(self, kind: str | None, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(positions among the kind's rows, bm25 share) of every passage of ``kind`` holding ``term``."""
        import numpy as np

        kept, key = self._kept, (kind, term)
        if (found := kept.recent(kept.shares, key)) is not None:
            return found
        read = self.conn.execute("SELECT rowid, bm25(passages_fts, 1.0, 0.0) FROM passages_fts"
                                 " WHERE passages_fts MATCH ?", (match_expression([term], (), kind),))
        table = np.fromiter(chain.from_iterable(read), dtype=np.float64).reshape(-1, 2)  # (row ids are < 2**53)
        ids = table[:, 0].astype(np.int64)
        rows = self._rows(kind)
        positions = np.searchsorted(rows, ids)
        if np.any(positions >= rows.size) or not np.array_equal(rows[np.minimum(positions, rows.size - 1)], ids):
            raise _StoreChanged(term)
        found = positions.astype(np.int32), -table[:, 1]
        with kept.lock:
            if key not in kept.shares:
                kept.shares[key] = found
                kept.held += len(ids)
            while kept.held > MAX_SHARES and len(kept.shares) > 1:
                _, (dropped, _) = kept.shares.popitem(last=False)
                kept.held -= len(dropped)
        return found

    def _mask(self, report_ids: tuple[str, ...], kind: str | None) -> np.ndarray:
        """Whether each passage of ``kind`` belongs to one of the reports."""
        import numpy as np

        kept, key = self._kept, (kind, report_ids)
        if (mask := kept.recent(kept.masks, key)) is not None:
            return mask
        owners = self._owners(kind)
        numbers = self._spans()[0]
        chosen = np.zeros(len(numbers) + 1, dtype=bool)  # the last: the owner of a passage of no report
        chosen[[n for r in report_ids if (n := numbers.get(r)) is not None]] = True
        mask = chosen[owners]
        with kept.lock:
            kept.masks[key] = mask
            while len(kept.masks) > MAX_MASKS:
                kept.masks.popitem(last=False)
        return mask

    def _owners(self, kind: str | None) -> np.ndarray:
        """The number of the report of each passage of ``kind`` (``len(numbers)`` for a passage of none)."""
        import numpy as np

        kept = self._kept
        owners = kept.owners.get(kind)
        if owners is not None:
            return owners
        numbers, starts, ends = self._spans()
        rows = self._rows(kind)
        owners = np.searchsorted(starts, rows, side="right") - 1
        if np.all(ends[:-1] < starts[1:]) and np.all(owners >= 0) and np.all(rows <= ends[owners]):
            owners = owners.astype(np.int32)
        else:  # the passages of some report are not consecutive rows: read each passage's report
            where, args = ("", ()) if kind is None else (" WHERE kind = ?", (kind,))
            owner_of = dict(self.conn.execute(f"SELECT id, report_id FROM passages{where}", args))
            owners = np.array([numbers.get(owner_of.get(int(row)), len(numbers)) for row in rows], dtype=np.int32)
        kept.owners[kind] = owners
        return owners

    def _spans(self) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
        """Each report's number, and the first and last row of its passages (reports in the order of their rows)."""
        import numpy as np

        kept = self._kept
        if kept.spans is None:
            spans = self.conn.execute(
                "SELECT id, (SELECT MIN(id) FROM passages WHERE report_id = reports.id),"
                " (SELECT MAX(id) FROM passages WHERE report_id = reports.id) FROM reports").fetchall()
            spans = sorted((s for s in spans if s[1] is not None), key=lambda s: s[1])
            kept.spans = ({report_id: n for n, (report_id, _, _) in enumerate(spans)},
                          np.array([s[1] for s in spans], dtype=np.int64).reshape(-1),
                          np.array([s[2] for s in spans], dtype=np.int64).reshape(-1))
        return kept.spans


def _best(scores: np.ndarray, matched: np.ndarray, limit: int) -> np.ndarray:
    """The positions of the ``limit`` highest scores among those ``matched``, best first, equal scores by position."""
    import numpy as np

    positions = np.flatnonzero(matched)
    values = scores[positions]
    if positions.size > limit > 0:  # only those at least as good as the limit-th best
        kth = np.partition(values, values.size - limit)[values.size - limit]
        positions, values = positions[values >= kth], values[values >= kth]
    return positions[np.lexsort((positions, -values))[:max(limit, 0)]]
