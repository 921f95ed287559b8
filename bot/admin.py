"""Admin operations behind the chat: add one uploaded report, rebuild everything from the reports folder.

Both run off the event loop. The service that answers questions is replaced only when the new data is complete:
an upload is parsed from a temporary file and moved into the reports folder only once stored; a rebuild writes a
fresh database beside the old one and swaps it in with ``os.replace``. A failure leaves the old answers in place.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.build import build_dense_index
from index.service import Answerer
from ingest.config import Config
from ingest.ledger import Ledger
from ingest.pipeline import UNPRINTABLE, Batch, FileOutcome, collect_files, file_digest, ingest_file, read_files
from ingest.sandbox import SandboxedParser
from ingest.store import Store

log = logging.getLogger(__name__)

__all__ = ["add_report", "rebuild_all", "RebuildResult", "safe_name"]


def safe_name(name: str) -> str:
    """A file name without folders or control characters (an upload's name is user input)."""
    base = Path(name.replace("\\", "/")).name
    base = UNPRINTABLE.sub("_", re.sub(r"[/:*?\"<>|]", "_", base)).strip(" .")
    stem, suffix = Path(base).stem, Path(base).suffix[:10]
    while len((stem + suffix).encode("utf-8")) > 200:  # file systems take 255 bytes: room for a -2 and a copy
        stem = stem[:-1]
    return (stem + suffix) if stem else "report" + (suffix or ".txt")


def add_report(config: Config, data: bytes, name: str, service: Answerer | None,
               on_stage: Callable[[str], None] = lambda stage: None) -> tuple[FileOutcome, Answerer | None]:
    """Store one uploaded file; on success move it into the reports folder and return a fresh service."""
    name = safe_name(name)
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / name
        staged.write_bytes(data)
        on_stage("parsing")
        with Store(config.paths.database) as store, SandboxedParser() as parser:  # a hostile upload: one failed line
            outcome = ingest_file(staged, store, explicit=True, parse=parser.parse)  # an older version: served again
        if outcome.status in ("failed", "unchanged"):
            return outcome, None  # nothing new: the serving answers stay as they are
        target = _free_path(config.paths.reports, name, data)
        config.paths.reports.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staged), target)
        ledger = Ledger(config.paths.reports)  # a rebuild from the folder serves this file, not the one it replaced
        ledger.note(outcome, kept=target)
        if warning := ledger.save():
            log.warning(warning)
    embedder = service.embedder if service is not None else None
    if embedder is not None:
        on_stage("indexing")
        build_dense_index(config.paths.database, config.paths.index, embedder)
    return outcome, Answerer(config, embedder=embedder)


def _free_path(folder: Path, name: str, data: bytes) -> Path:
    """``folder/name``, or ``name-2`` etc. when a different file of that name is already there."""
    candidate = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    # a symlink is never written through, dangling or not: it is taken
    while candidate.is_symlink() or (candidate.exists() and candidate.read_bytes() != data):
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate


@dataclass(frozen=True)
class RebuildResult:
    outcomes: list[FileOutcome]
    counts: dict[str, int]
    service: Answerer | None


def rebuild_all(config: Config, service: Answerer | None,
                on_progress: Callable[[int, int], None] = lambda done, total: None) -> RebuildResult:
    """Re-ingest every file of the reports folder into a new database, then swap it and the index in."""
    files = collect_files([config.paths.reports]) if config.paths.reports.exists() else []
    ledger = Ledger(config.paths.reports)  # files another replaced are not read back; those from outside are
    files += [p for p in ledger.files_elsewhere()[0] if p not in files]
    if not files:
        return RebuildResult([], {}, None)
    database = config.paths.database
    database.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".rebuild-", suffix=".sqlite", dir=database.parent)
    os.close(fd)
    os.unlink(tmp_name)
    tmp = Path(tmp_name)
    outcomes = []
    ledger.present(file_digest(p) for p in files)
    try:
        with Store(tmp) as store, SandboxedParser() as parser:
            def committed(written: list[FileOutcome]) -> None:
                for outcome in written:
                    outcomes.append(outcome)
                    ledger.note(outcome)

            with Batch(store, committed) as batch:  # parsed ahead of the writes, written together
                for i, (_, item) in enumerate(read_files(files, store, [parser], ledger=ledger), 1):
                    batch.add(item)
                    on_progress(i, len(files))
            counts = store.counts()
        if warning := ledger.save():
            log.warning(warning)
        embedder = service.embedder if service is not None else None
        if embedder is not None:
            build_dense_index(tmp, config.paths.index, embedder)
        os.replace(tmp, database)
    finally:
        if tmp.exists():
            tmp.unlink()
    return RebuildResult(outcomes, counts, Answerer(config, embedder=embedder))
