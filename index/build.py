"""Build the dense index from the store: embed only passages not embedded before, then swap the index in.

Only text passages are embedded: table rows are answered from their cells and found by their words. A passage
is embedded as it is written, with no header naming its report: a question that names a body is searched within
that body's reports, and there a header the same for every passage only blurs them (docs/BENCHMARKS.md: hit@1 and
hit@3 of the three ways measured).
Vectors are cached by (model, passage text hash) in ``embeddings.sqlite`` beside the index, so re-ingesting a
report with unchanged passages embeds nothing, and a rebuild after an ingest embeds only what is new. The FAISS
index itself is rebuilt from the cache each time (adding vectors is cheap) into a new folder, and swapped in.
"""
from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.store import open_readonly, store_id

from .dense import Embedder, swap_in

__all__ = ["BuildResult", "build_dense_index"]


@dataclass(frozen=True)
class BuildResult:
    passages: int
    embedded: int  # newly embedded this time
    seconds: float
    path: Path


def _cache(index_path: Path) -> sqlite3.Connection:
    index_path.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(index_path / "embeddings.sqlite")
    conn.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT, hash TEXT, vector BLOB, PRIMARY KEY (model, hash))")
    return conn


def build_dense_index(database: Path, index_path: Path, embedder: Embedder,
                      progress: Callable[[int, int], None] | None = None, batch: int = 256) -> BuildResult:
    """Embed the store's new passages (``progress(done, total)`` after each batch) and swap in a new index."""
    import faiss

    started = time.time()
    store = open_readonly(database)
    try:
        passages = store.execute("SELECT id, hash, text FROM passages WHERE kind = 'text' ORDER BY id").fetchall()
        identity = store_id(store)
    finally:
        store.close()
    cache = _cache(index_path)
    try:
        known = {h for (h,) in cache.execute("SELECT hash FROM vectors WHERE model = ?", (embedder.name,))}
        todo: dict[str, str] = {}
        for _, digest, text in passages:
            if digest not in known:
                todo.setdefault(digest, text)
        items = list(todo.items())
        for start in range(0, len(items), batch):
            chunk = items[start:start + batch]
            vectors = embedder.encode_passages([text for _, text in chunk])
            with cache:
                cache.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                                  [(embedder.name, digest, vector.astype("float32").tobytes())
                                   for (digest, _), vector in zip(chunk, vectors)])
            if progress:
                progress(min(start + batch, len(items)), len(items))
        vectors_by_hash = {}
        wanted = {digest for _, digest, _ in passages}
        for digest, blob in cache.execute("SELECT hash, vector FROM vectors WHERE model = ?", (embedder.name,)):
            if digest in wanted:
                vectors_by_hash[digest] = np.frombuffer(blob, dtype="float32")
    finally:
        cache.close()
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(embedder.dim))
    if passages:
        ids = np.asarray([pid for pid, _, _ in passages], dtype="int64")
        matrix = np.vstack([vectors_by_hash[digest] for _, digest, _ in passages]).astype("float32")
        index.add_with_ids(matrix, ids)
    build_dir = index_path / f"build-{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**9}"
    build_dir.mkdir(parents=True)
    faiss.write_index(index, str(build_dir / "dense.faiss"))
    meta = {"model": embedder.name, "dim": embedder.dim, "count": len(passages), "built_at": time.time(),
            "database": str(database), "store_id": identity}
    (build_dir / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    swap_in(index_path, build_dir)
    return BuildResult(len(passages), len(items), time.time() - started, build_dir)
