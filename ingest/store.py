"""The SQLite store: reports, cells, passages (with their FTS5 token index) and consistency findings.

A file is known by the hash of its bytes, so ingesting the same file again is a no-op; a different file for the
same body and year replaces the old report. A report's id grows with each report written (then a digest of its
file, body and year; see ``_next_report_id``), and a cell's key is that id with the cell's table, row and column
keys. Each report is written in one transaction, so a failure leaves the store exactly as it
was. A passage's integer row id is also its id in the FAISS index and in the FTS5 table.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path


from .checks import ACROSS_YEARS_ROWS, check_across_years
from .identity import MIN_EXCERPT_CELLS, canonical_name, stated_cells
from .errors import NianbaoError
from .model import NO_SUCH_ROW, Cell, Finding, Report
from .tokenize import tokenize

__all__ = ["open_readonly", "passage_tokens", "store_id", "Store", "WriteResult", "StoreVersionError", "StoreBusyError", "content_hash", "stored_version", "SCHEMA_VERSION"]

SCHEMA_VERSION = 7


@lru_cache(maxsize=1)
def parser_version() -> str:
    """A digest of the code that turns a file into stored rows: a file stored by other code is read again (a
    parser fix reaches every report already stored), a file stored by this code is left as it is."""
    here = Path(__file__).parent
    code = [path.read_bytes() for path in sorted(here.glob("*.py")) if path.name not in _NOT_PARSING]
    return content_hash(*code)


_NOT_PARSING = {"cli.py", "audit.py", "__main__.py", "config.py", "errors.py", "health.py", "ledger.py", "safeout.py"}


def content_hash(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()[:20]


class StoreBusyError(NianbaoError):
    """Another process is writing the store."""


class StoreVersionError(NianbaoError):
    """The database was written by another version of the schema."""


def open_readonly(path: Path, check_same_thread: bool = True) -> sqlite3.Connection:
    """A read-only connection to the store. A write that was killed (kill -9, the OOM killer, a power cut) leaves
    a hot journal that only a writable connection may roll back; a read-only one then fails with "attempt to write
    a readonly database". That one rollback is done here, so an interrupted ingest never stops the read path."""
    def connect() -> sqlite3.Connection:
        if Path(path).is_dir():
            raise StoreVersionError(f"{path} 是一个文件夹，不是数据库；请检查配置里的 database 路径。")
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=check_same_thread,
                               timeout=Store.LOCK_TIMEOUT)  # a reader waits out a writer's commit, never dies of it
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as e:
            conn.close()
            if isinstance(e, sqlite3.OperationalError) and "readonly" in str(e):
                raise
            raise StoreVersionError(f"{path} 不是 SQLite 数据库；请检查配置里的 database 路径，或移走这个文件。") from None
        return conn

    try:
        return connect()
    except sqlite3.OperationalError as e:
        if "readonly" not in str(e) or not Path(f"{path}-journal").exists():
            raise
    recovery = sqlite3.connect(path, timeout=30)  # rolls the interrupted transaction back, as any writer would
    try:
        recovery.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    finally:
        recovery.close()
    return connect()


def passage_tokens(report: Report) -> tuple[str, tuple[str, ...]]:
    """The body name and each passage's tokens as the lexical index keeps them (the body, the section and the
    text), joined by spaces: cut where the report is parsed, so that the writer does not cut them (one string a
    passage crosses from the parsing child faster than its words do)."""
    return report.body, tuple(" ".join(tokenize(f"{report.body}\n{p.section}\n{p.search_text or p.text}"))
                              for p in report.passages)


def _database(conn: sqlite3.Connection):
    """sqlite-utils over the connection, imported here: it pulls numpy in, which the read path does not need."""
    import sqlite_utils

    return sqlite_utils.Database(conn)


def store_id(conn: sqlite3.Connection) -> int | None:
    """The identity of the store behind ``conn`` (see Store._create), None for one made before it had one."""
    try:
        row = conn.execute("SELECT value FROM counters WHERE name = 'store_id'").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def stored_version(path: Path) -> int | None:
    """The schema version of an existing database file (0 for an empty one), or None when there is none."""
    if not path.exists():
        return None
    try:
        conn = open_readonly(path)
        try:
            return conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise StoreVersionError(f"{path} 不是 SQLite 数据库；请检查配置里的 database 路径，或移走这个文件。") from None


@dataclass(frozen=True)
class WriteResult:
    status: str  # added | replaced | reparsed | unchanged | superseded (a newer file holds its body and year)
    report_id: str
    replaced_source: str | None = None
    replaced_sha256: str | None = None  # the file whose report this one replaced


class Store:
    """One SQLite file. Safe to read from several threads (one connection, ``check_same_thread=False``).

    One writer at a time: a second ingest waits up to ``LOCK_TIMEOUT`` seconds for the first to finish, then
    raises StoreBusyError (one line)."""

    LOCK_TIMEOUT = 30.0

    def __init__(self, path: Path | str, readonly: bool = False):
        """``readonly``: for listing and checking (``ingest check``, /reports, /check): opened read-only, never
        written, not even the schema version."""
        self.path = Path(path)
        if readonly:
            self.conn = open_readonly(self.path, check_same_thread=False)
            self.conn.execute("PRAGMA busy_timeout=30000")
            self.db = _database(self.conn)
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                self.conn.close()
                raise self._other_version(version)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # autocommit mode: transactions are explicit (a savepoint per report, see write and batch)
        self.conn = sqlite3.connect(self.path, check_same_thread=False, timeout=self.LOCK_TIMEOUT, isolation_level=None)
        self.conn.execute("PRAGMA foreign_keys=ON")
        # The store is derived data (rebuilt from the report files by /reindex or a fresh ingest): fewer fsyncs.
        # Each report is still one atomic transaction through the rollback journal.
        self.conn.execute("PRAGMA synchronous=NORMAL")
        # a batch's pages stay in memory until its commit: spilling them early would take the exclusive lock,
        # and readers would wait for the rest of the batch
        self.conn.execute("PRAGMA cache_size=-131072")
        # each report's savepoint keeps the pages it changes first in a sub-journal: in memory, not a temporary
        # file written page by page (a thousand writes a report)
        self.conn.execute("PRAGMA temp_store=MEMORY")
        self.db = _database(self.conn)
        self._tails: dict[str, set[str]] | None = None  # see _names_by_tail
        # in a batch, each report's FTS5 rows by report id, inserted together before the batch commits (see batch)
        self._fts_waiting: dict[str, list[tuple[int, str, str]]] | None = None
        self._tails_version = 0
        self._create()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- schema ---------------------------------------------------------------------------------------------
    def _create(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            self.conn.close()
            raise self._other_version(version)
        db = self.db
        db["reports"].create({
            "id": str, "sha256": str, "body": str, "body_full": str, "year": int, "title": str, "format": str,
            "source": str, "n_cells": int, "n_passages": int, "n_findings": int, "warnings": str, "ingested_at": float,
            "tables": str,  # JSON {"二": "complete" | "incomplete" | "missing", …}
            "part": str,  # full | excerpt
        }, pk="id", if_not_exists=True)
        # A cell's id is its report and its keys: one clustered B-tree serves writes and reads by report and row.
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS cells (report_id TEXT REFERENCES reports(id), tbl TEXT, row_key TEXT,"
            " col_key TEXT, row_label TEXT, col_label TEXT, value REAL, unit TEXT, raw TEXT, status TEXT,"
            " warning TEXT, how TEXT, PRIMARY KEY (report_id, tbl, row_key, col_key)) WITHOUT ROWID")
        db["passages"].create({
            "id": int, "hash": str, "report_id": str, "kind": str, "section_key": str, "section": str, "ord": int,
            "start": int, "end": int, "text": str,
        }, pk="id", foreign_keys=[("report_id", "reports", "id")], if_not_exists=True)
        # every file digest ever stored, with the report it gave: a version later superseded by another file for
        # the same body and year stays known, so running over the same folder again changes nothing
        db["files"].create({"sha256": str, "source": str, "report_id": str, "ingested_at": float, "parser": str},
                           pk="sha256", if_not_exists=True)
        # passage ids are never reused (they are FAISS ids): the next id survives deletions
        db["counters"].create({"name": str, "value": int}, pk="name", if_not_exists=True)
        # the store's identity: a dense index built from it carries it, so an index and a store that do not belong
        # together (a rebuild swaps them in one after the other) are never paired
        if self.conn.execute("SELECT 1 FROM counters WHERE name = 'store_id'").fetchone() is None:
            self.conn.execute("INSERT INTO counters (name, value) VALUES ('store_id', ?)",
                              (int.from_bytes(os.urandom(6), "big"),))
        db["findings"].create({
            "id": str, "report_id": str, "rule": str, "message": str, "cells": str,
        }, pk="id", foreign_keys=[("report_id", "reports", "id")], if_not_exists=True)
        for table, columns in (("reports", ["body", "year", "part"]), ("passages", ["report_id"]),
                               ("findings", ["report_id"])):
            db[table].create_index(columns, if_not_exists=True, unique=(table == "reports"))
        # a passage's hash is read with the passages (index.build), never looked up: an index of it cost 46 writes
        # at random places a report (a store made before loses it at its next ingest)
        self.conn.execute("DROP INDEX IF EXISTS idx_passages_hash")
        # Aggregates over many reports (index.tally): a row's cells of every report lie together, with what a sum
        # reads, so the table itself is not visited; the cells of a row a report does not have are few, and apart.
        # A store made before these gets them at its next ingest (they change no stored row).
        self.conn.execute("CREATE INDEX IF NOT EXISTS cells_by_row ON cells (tbl, row_key, col_key, report_id, value,"
                          " status, unit)")
        self.conn.execute("CREATE INDEX IF NOT EXISTS cells_absent ON cells (tbl, row_key, col_key, report_id)"
                          f" WHERE status = 'blank' AND warning = '{NO_SUCH_ROW}'")
        # the reports of a year and a kind of body (index.numeric.Tables.reports_in), read from the index alone
        self.conn.execute("CREATE INDEX IF NOT EXISTS reports_in_year ON reports (year, body, body_full, part, id, title,"
                          " source, format, tables)")
        # tokens: jieba tokens of the passage; tags: r<report id> and k<kind>, so filters run inside FTS5
        self.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(tokens, tags, "
                          "tokenize='unicode61 remove_diacritics 0')")
        self.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS passages_vocab USING fts5vocab(passages_fts, 'row')")
        if version != SCHEMA_VERSION:  # a new file: an existing one is left byte for byte as it was
            self.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def analyze(self) -> None:
        """Statistics for SQLite's query planner (``sqlite_stat1``), after a run that changed the store: of the
        tables queried by SQL (FTS5's own tables are searched by MATCH, and counting them takes seconds), each
        index sampled, not read whole (``analysis_limit``). A tenth of a second at 100,000 reports."""
        with self._one_writer():
            self.conn.execute("PRAGMA analysis_limit=20000")
            for table in ("reports", "cells", "passages", "findings", "files"):
                self.conn.execute(f"ANALYZE {table}")

    # --- writing --------------------------------------------------------------------------------------------
    def has_file(self, sha256: str) -> bool:
        """Whether the file is stored as this code reads it (a file stored by other parsing code is read again)."""
        return self.conn.execute("SELECT 1 FROM files WHERE sha256 = ? AND parser IS ?",
                                 (sha256, parser_version())).fetchone() is not None

    def served_by(self, sha256: str) -> str | None:
        """The source of the report that holds this file's body and year when it is not this file (the file is
        an older version that another replaced), else None: the file is served, or was never stored."""
        row = self.conn.execute(
            "SELECT r.sha256, r.source FROM files f JOIN reports r ON r.id = f.report_id WHERE f.sha256 = ?",
            (sha256,)).fetchone()
        return None if row is None or row[0] == sha256 else row[1]

    def first_stored(self, sha256: str) -> float | None:
        """When the file was first stored (None for a file never stored): files stored by other parsing code are
        read again in this order, so the newest file for a body and year holds it, as when they first came."""
        row = self.conn.execute("SELECT ingested_at FROM files WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None

    def _other_version(self, version: int) -> StoreVersionError:
        return StoreVersionError(f"数据库 {self.path} 是另一版本的格式（{version}，本程序是 {SCHEMA_VERSION}）；运行 "
                                 "python -m ingest 会把它另存为备份，并从报告文件重建。")

    @contextmanager
    def _one_writer(self) -> Iterator[None]:
        """A lock another process holds past ``LOCK_TIMEOUT`` is one line (StoreBusyError), not a traceback."""
        try:
            yield
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e):
                raise
            raise StoreBusyError(f"数据库 {self.path} 正被另一个入库进程写入（等了 {self.LOCK_TIMEOUT:.0f} 秒）；"
                                 "请等它完成后再试。") from None

    def write(self, report: Report, sha256: str, restore: bool = False,
              tokens: tuple[str, tuple[str, ...]] | None = None) -> WriteResult:
        """``tokens``: ``passage_tokens(report)`` when they were cut already (in the parsing child)."""
        with self._one_writer():
            return self._write(report, sha256, restore, tokens)

    def _write(self, report: Report, sha256: str, restore: bool = False,
               tokens: tuple[str, tuple[str, ...]] | None = None) -> WriteResult:
        """Store one parsed report in a single transaction (see the module docstring). A body written with or
        without its parent places (``ingest.identity``) is stored under one name. A file read again by newer code
        keeps the time it first came: a report held by a newer file for the same body and year stays that file's
        ("superseded"). With ``restore`` (a file given or uploaded by name, not met in a folder) the file is the
        newest whatever it was before: an older version given again is served again."""
        if self.has_file(sha256) and not (restore and self.served_by(sha256)):
            held = self.conn.execute("SELECT report_id FROM files WHERE sha256 = ?", (sha256,)).fetchone()[0]
            return WriteResult("superseded" if self.served_by(sha256) else "unchanged", held)
        with self._savepoint():  # the whole report, or nothing
            report_id = self._next_report_id(sha256, report)
            report = self._one_name(report)
            stale = self.conn.execute("SELECT report_id, ingested_at FROM files WHERE sha256 = ?", (sha256,)).fetchone()
            came = time.time() if restore or not stale else stale[1]
            old = self.conn.execute(
                "SELECT r.id, r.source, r.sha256, f.ingested_at FROM reports r LEFT JOIN files f ON f.sha256 = r.sha256"
                " WHERE r.body = ? AND r.year = ? AND r.part = ?", (report.body, report.year, report.part)).fetchone()
            if stale and stale[0] != (old[0] if old else None):
                self._move_away(stale[0])  # read by other code under another body or year: that reading goes
            if old and old[2] != sha256 and old[3] is not None and old[3] > came:  # a newer file holds it
                self.conn.execute("UPDATE files SET report_id = ?, parser = ? WHERE sha256 = ?",
                                  (old[0], parser_version(), sha256))  # known as an older version of that report
                return WriteResult("superseded", old[0], old[1])
            if tokens is None or tokens[0] != report.body:  # (renamed since they were cut: cut again)
                tokens = passage_tokens(report)
            passage_rows = [(content_hash(p.text), p, words) for p, words in zip(report.passages, tokens[1])]
            if old:
                self._delete(old[0])
                # the files it held (and those it had replaced) are older versions of this report now
                self.conn.execute("UPDATE files SET report_id = ? WHERE report_id = ?", (report_id, old[0]))
            self.conn.execute(
                "INSERT INTO reports (id, sha256, body, body_full, year, title, format, source, n_cells, n_passages,"
                " n_findings, warnings, ingested_at, tables, part) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (report_id, sha256, report.body, report.body_full, report.year, report.title, report.format,
                 report.source, len(report.cells), len(report.passages), len(report.findings),
                 json.dumps(list(report.warnings), ensure_ascii=False), time.time(),
                 json.dumps(dict(report.tables), ensure_ascii=False), report.part))
            self.conn.executemany(
                "INSERT INTO cells (report_id, tbl, row_key, row_label, col_key, col_label, value, unit, raw,"
                " status, warning, how) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [(report_id, c.table, c.row_key, c.row_label, c.col_key, c.col_label, c.value, c.unit, c.raw,
                  c.status, c.warning, c.how) for c in report.cells])
            counter = self.conn.execute("SELECT value FROM counters WHERE name = 'passage_id'").fetchone()
            first = max(counter[0] if counter else 0, self.conn.execute("SELECT MAX(id) FROM passages").fetchone()[0]
                        or 0) + 1
            self.conn.execute("INSERT OR REPLACE INTO counters (name, value) VALUES ('passage_id', ?)",
                              (first + len(passage_rows),))
            self.conn.execute("INSERT OR REPLACE INTO files (sha256, source, report_id, ingested_at, parser)"
                              " VALUES (?,?,?,?,?)", (sha256, report.source, report_id, came, parser_version()))
            self.conn.executemany(
                "INSERT INTO passages (id, hash, report_id, kind, section_key, section, ord, start, end, text)"
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                [(first + i, digest, report_id, p.kind, p.section_key, p.section, p.order, p.start, p.end, p.text)
                 for i, (digest, p, _) in enumerate(passage_rows)])
            fts_rows = [(first + i, tokens, f"r{report_id} k{p.kind}") for i, (_, p, tokens) in enumerate(passage_rows)]
            if self._fts_waiting is None:
                self._insert_fts(fts_rows)
            else:  # queued before the savepoint ends: should it roll back, its passages go and _commit drops them
                self._fts_waiting[report_id] = fts_rows
            self._insert_findings(report_id, report.findings)
            self._recheck_years(report.body, report.year, (report_id, report.cells))
        if stale and (old is None or old[2] == sha256):
            return WriteResult("reparsed", report_id)  # the same file, read by newer code
        return WriteResult("replaced" if old else "added", report_id, old[1] if old else None,
                           old[2] if old else None)

    def _next_report_id(self, sha256: str, report: Report) -> str:
        """A new report's id: a count of the reports written to this store, then a digest of the file, body and
        year. Ids grow as reports are written (like passage ids, never reused), so the cells of each new report go
        at the end of every index that orders them by report, the covering index of aggregates included: a commit
        writes a few hundred pages whatever number of reports it holds, not a few hundred for each report."""
        row = self.conn.execute("SELECT value FROM counters WHERE name = 'report_seq'").fetchone()
        seq = row[0] + 1 if row else 0
        self.conn.execute("INSERT OR REPLACE INTO counters (name, value) VALUES ('report_seq', ?)", (seq,))
        return f"{seq:08x}" + content_hash(sha256, report.body, str(report.year))[:12]

    def _move_away(self, report_id: str) -> None:
        """A file's earlier reading under a body or year newer code does not read: it goes, the cross-year rules of
        that body are checked again, and the files it had superseded are to be read again (one of them may now
        hold that body and year)."""
        row = self.conn.execute("SELECT body, year FROM reports WHERE id = ?", (report_id,)).fetchone()
        if row is None:
            return
        self._delete(report_id)
        self._recheck_years(*row)
        self.conn.execute("UPDATE files SET parser = NULL WHERE report_id NOT IN (SELECT id FROM reports)")

    def _one_name(self, report: Report) -> Report:
        """The report under the name its body already has in the store, or the held reports renamed to the more
        qualified name this report gives (洪泽区人民政府 → 淮安市洪泽区人民政府: the longer name is kept).

        Two names of one body end alike (one is the other with places in front), so only the held names ending in
        this name's last three characters are looked at: a few, however many bodies the store holds."""
        tails = self._names_by_tail()
        held = [(body, years) for body in sorted(tails.get(report.body[-3:], ())) if body != report.body
                and (years := {y for (y,) in self.conn.execute("SELECT year FROM reports WHERE body = ?", (body,))})]
        other = canonical_name(report.body, held, report.year)
        name = report.body if other is None or len(other) < len(report.body) else other
        if other is not None and name == report.body:
            self.conn.execute("UPDATE reports SET body = ? WHERE body = ?", (report.body, other))
        tails.setdefault(name[-3:], set()).add(name)  # (a name that left the store stays: its years are none)
        return report if name == report.body else replace(report, body=name)

    def _names_by_tail(self) -> dict[str, set[str]]:
        """The held body names by their last three characters, read again when another connection has committed
        since (``PRAGMA data_version``); this connection's own writes are added by ``_one_name``."""
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if self._tails is None or version != self._tails_version:
            tails: dict[str, set[str]] = {}
            for (body,) in self.conn.execute("SELECT DISTINCT body FROM reports"):
                tails.setdefault(body[-3:], set()).add(body)
            self._tails, self._tails_version = tails, version
        return self._tails

    def identify(self, report: Report) -> tuple[str, int] | None:
        """(body, year) of the held full report whose cells hold every non-zero number of ``report`` (an excerpt
        naming neither), when exactly one does and the excerpt states at least MIN_EXCERPT_CELLS of them."""
        stated = stated_cells(report.cells)
        if len(stated) < MIN_EXCERPT_CELLS:
            return None
        clauses = " OR ".join("(tbl = ? AND row_key = ? AND col_key = ? AND value = ?)" for _ in stated)
        rows = self.conn.execute(
            f"SELECT r.body, r.year FROM cells c JOIN reports r ON r.id = c.report_id WHERE r.part = 'full'"
            f" AND r.format = ? AND ({clauses}) GROUP BY r.id HAVING COUNT(*) = ?",
            [report.format, *(x for cell in stated for x in cell), len(stated)]).fetchall()
        return (rows[0][0], rows[0][1]) if len(rows) == 1 else None

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        """One report's writes: a transaction of its own, or a savepoint inside a batch (see ``batch``)."""
        self.conn.execute("SAVEPOINT report")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK TO report")
            self.conn.execute("RELEASE report")
            raise
        self.conn.execute("RELEASE report")

    @contextmanager
    def batch(self, every: int = 50, on_commit: Callable[[], None] = lambda: None) -> Iterator[Callable[[], None]]:
        """Commit many reports' writes together (a commit costs an fsync). Each report stays all-or-nothing
        through its savepoint; the yielded function marks a report done and commits every ``every`` reports (or
        after a second). On leaving (also on an error or Ctrl-C between reports) what is complete is committed.
        ``on_commit`` runs after each commit, never for writes that were not committed (a commit that failed or
        was interrupted, a transaction SQLite rolled back itself on a full disk): what is said to be stored is
        said once it is."""
        with self._one_writer():
            self.conn.execute("BEGIN IMMEDIATE")  # the write lock now, not at the first write, so a wait is here
        done = 0
        began = time.monotonic()
        self._fts_waiting = {}
        failed = False  # the writes since the last commit are not in the store

        def commit() -> None:
            nonlocal failed
            try:
                self._commit()
            except BaseException as e:
                failed = failed or not getattr(e, "committed", False)
                raise

        def tick() -> None:
            nonlocal done, began
            done += 1
            # every ``every`` reports, or after a second: readers never wait long for a commit
            if done % every == 0 or time.monotonic() - began > 1.0:
                commit()
                on_commit()
                self.conn.execute("BEGIN IMMEDIATE")
                began = time.monotonic()

        try:
            yield tick
        finally:
            try:
                if not failed and self.conn.in_transaction:  # (Ctrl-C can land between a commit and the next begin)
                    commit()
                elif not failed and self._fts_waiting:  # written, then rolled back by SQLite itself (a full disk)
                    failed = True
            finally:
                self._fts_waiting = None
                if not failed:  # (also when the commit was interrupted once it had returned)
                    on_commit()

    def _commit(self) -> None:
        """Commit a batch, its reports' FTS5 rows inserted first, all in one statement: FTS5 writes what a
        statement adds as a new segment of its index, so rows added report by report, each under its savepoint,
        cost a segment (and later merges) a report. The rows of a report deleted since it was written (replaced
        in the same batch) are left out. Should they or the commit fail, nothing of the batch is committed; an
        exception raised once COMMIT has returned (Ctrl-C during its fsync) carries ``committed = True``."""
        waiting, self._fts_waiting = self._fts_waiting or {}, {}
        committing = False
        try:
            rows = []
            for report_id, report_rows in waiting.items():
                held = {pid for (pid,) in self.conn.execute("SELECT id FROM passages WHERE report_id = ?", (report_id,))}
                rows.extend(row for row in report_rows if row[0] in held)
            self._insert_fts(rows)
            committing = True
            self.conn.execute("COMMIT")
        except BaseException as e:
            if committing and not self.conn.in_transaction and not isinstance(e, sqlite3.Error):
                e.committed = True  # (an interruption that surfaced after COMMIT returned)
            elif self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def _insert_fts(self, rows: list[tuple[int, str, str]]) -> None:
        self.conn.executemany("INSERT INTO passages_fts (rowid, tokens, tags) VALUES (?, ?, ?)", rows)

    def _delete(self, report_id: str) -> None:
        self.conn.execute("DELETE FROM passages_fts WHERE rowid IN (SELECT id FROM passages WHERE report_id = ?)",
                          (report_id,))
        for table in ("passages", "cells", "findings"):
            self.conn.execute(f"DELETE FROM {table} WHERE report_id = ?", (report_id,))
        self.conn.execute("DELETE FROM reports WHERE id = ?", (report_id,))

    def _insert_findings(self, report_id: str, findings) -> None:
        self.conn.executemany(
            "INSERT OR REPLACE INTO findings (id, report_id, rule, message, cells) VALUES (?,?,?,?,?)",
            [(content_hash(report_id, f.rule, f.message), report_id, f.rule, f.message,
              json.dumps(list(f.cells), ensure_ascii=False)) for f in findings])

    def _recheck_years(self, body: str, year: int, written: tuple[str, Sequence[Cell]] | None = None) -> None:
        """Cross-year rules between this report and its neighbours of the same body (inside the caller's
        transaction). ``written``: the id and cells of the report just written, so they are not read back."""
        ids = {y: self._report_id(body, y) for y in (year - 1, year, year + 1)}
        for later in (year, year + 1):
            if ids[later] is None:
                continue
            self.conn.execute("DELETE FROM findings WHERE report_id = ? AND rule LIKE '%across_years'", (ids[later],))
            if ids[later - 1] is None:
                continue
            now, before = (written[1] if written and written[0] == ids[y] else self._across_years_cells(ids[y])
                           for y in (later, later - 1))
            self._insert_findings(ids[later], check_across_years(body, later, now, before))

    def _across_years_cells(self, report_id: str) -> list[Cell]:
        """The cells of a report that the cross-year rules read (``ACROSS_YEARS_ROWS``)."""
        rows = ", ".join("(?, ?)" for _ in ACROSS_YEARS_ROWS)
        return [Cell(*row) for row in self.conn.execute(
            "SELECT tbl, row_key, row_label, col_key, col_label, value, unit, raw, status, warning, how FROM cells"
            f" WHERE report_id = ? AND (tbl, row_key) IN (VALUES {rows})",
            (report_id, *(key for row in ACROSS_YEARS_ROWS for key in row)))]

    def _report_id(self, body: str, year: int) -> str | None:
        row = self.conn.execute("SELECT id FROM reports WHERE body = ? AND year = ? ORDER BY part = 'excerpt'",
                                (body, year)).fetchone()
        return row[0] if row else None

    # --- reading --------------------------------------------------------------------------------------------
    def cells(self, report_id: str) -> list[Cell]:
        rows = self.conn.execute(
            "SELECT tbl, row_key, row_label, col_key, col_label, value, unit, raw, status, warning, how FROM cells"
            " WHERE report_id = ?", (report_id,)).fetchall()
        return [Cell(*row) for row in rows]

    def reports(self) -> list[dict]:
        return list(self.db.query("SELECT * FROM reports ORDER BY body, year"))

    def findings(self, body: str | list[str] | None = None, year: int | None = None) -> list[tuple[dict, Finding]]:
        """The findings of one body (by its name or its name as written), of several, or of all, in one year or
        all."""
        bodies = [body] if isinstance(body, str) else body
        where = ("" if bodies is None else
                 " AND (r.body IN ({0}) OR r.body_full IN ({0}))".format(",".join("?" * len(bodies))))
        sql = ("SELECT r.body, r.year, r.title, r.source, f.rule, f.message, f.cells FROM findings f"
               " JOIN reports r ON r.id = f.report_id WHERE (? IS NULL OR r.year = ?)" + where +
               " ORDER BY r.body, r.year, f.rowid")
        params = [year, year] + (2 * list(bodies) if bodies is not None else [])
        return [({k: row[k] for k in ("body", "year", "title", "source")},
                 Finding(row["rule"], row["message"], tuple(json.loads(row["cells"]))))
                for row in self.db.query(sql, params)]

    def counts(self) -> dict[str, int]:
        return {table: self.db[table].count for table in ("reports", "cells", "passages", "findings")}

