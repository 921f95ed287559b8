"""The SQLite store: re-ingesting is a no-op, a new file replaces the old report, a failed write changes nothing,
and the FTS5 row id of a passage is its passages.id (the id the vector index uses too)."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from ingest import store as store_module
from ingest.pipeline import ingest_file
from ingest.report import parse_bytes
from ingest.store import Store
from ingest.tokenize import tokenize
from tests.conftest import ROOT, SAMPLES
from tests.ingest.conftest import (QIAOTOUHU, ZUOJIAZHUANG, dump_database, report_rows, sample_path, sample_text,
                                   shift_years)


def _copy(tmp_path: Path, number: str, name: str | None = None) -> Path:
    path = tmp_path / (name or sample_path(number).name)
    path.write_bytes(sample_path(number).read_bytes())
    return path


def _edited_qiaotouhu(tmp_path: Path) -> Path:
    """Another file for 桥头胡街道 2020: the same tables, a corrected sentence in section 六."""
    path = tmp_path / "qiaotouhu_corrected.txt"
    path.write_text(sample_text(QIAOTOUHU).replace("无其他需要报告事项。", "本年度无其他需要报告的事项。"),
                    encoding="utf-8")
    return path


def _ids(conn: sqlite3.Connection, sql: str, *args) -> set:
    return {row[0] for row in conn.execute(sql, args)}


def test_same_file_twice_is_a_no_op(store, tmp_path):
    path = _copy(tmp_path, QIAOTOUHU)
    first = ingest_file(path, store)
    assert first.status == "added"
    counts, before = store.counts(), dump_database(store.path)
    assert counts["reports"] == 1 and counts["cells"] == len(first.report.cells)
    assert counts["passages"] == len(first.report.passages)
    assert ingest_file(path, store).status == "unchanged"
    # also when the parse reaches Store.write directly
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    assert store.write(first.report, sha256).status == "unchanged"
    assert store.counts() == counts
    assert dump_database(store.path) == before


def test_same_bytes_under_another_name_is_a_no_op(store, tmp_path):
    ingest_file(_copy(tmp_path, QIAOTOUHU), store)
    before = dump_database(store.path)
    assert ingest_file(_copy(tmp_path, QIAOTOUHU, "renamed.txt"), store).status == "unchanged"
    assert dump_database(store.path) == before


def test_new_file_for_the_same_body_and_year_replaces_the_old(store, tmp_path):
    old = ingest_file(_copy(tmp_path, QIAOTOUHU), store)
    other = ingest_file(_copy(tmp_path, ZUOJIAZHUANG), store)  # another body: must stay as it is
    other_id = store.conn.execute("SELECT id FROM reports WHERE body = '左家庄街道'").fetchone()[0]
    other_rows = report_rows(store.path, other_id)
    old_id = store.conn.execute("SELECT id FROM reports WHERE body = '桥头胡街道'").fetchone()[0]

    new = ingest_file(_edited_qiaotouhu(tmp_path), store)
    assert (new.status, new.replaced_source) == ("replaced", old.path.name)
    reports = store.reports()
    assert sorted((r["body"], r["year"], r["source"]) for r in reports) == [
        ("左家庄街道", 2019, other.path.name), ("桥头胡街道", 2020, "qiaotouhu_corrected.txt")]
    conn = store.conn
    for table in ("reports", "cells", "passages", "findings"):
        column = "id" if table == "reports" else "report_id"
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", (old_id,)).fetchone()[0] == 0, table
    assert store.counts()["cells"] == len(new.report.cells) + len(other.report.cells)
    assert store.counts()["passages"] == len(new.report.passages) + len(other.report.passages)
    # no FTS row without its passage, none missing
    assert _ids(conn, "SELECT rowid FROM passages_fts") == _ids(conn, "SELECT id FROM passages")
    assert conn.execute("SELECT count(*) FROM passages_fts").fetchone()[0] == store.counts()["passages"]
    assert conn.execute("SELECT count(*) FROM passages WHERE text LIKE '%无其他需要报告事项。%'").fetchone()[0] == 0
    assert report_rows(store.path, other_id) == other_rows


def test_a_file_stored_by_other_parsing_code_is_read_again_once(store, tmp_path):
    path = _copy(tmp_path, QIAOTOUHU)
    assert ingest_file(path, store).status == "added"
    store.conn.execute("UPDATE cells SET value = 99 WHERE row_key = 'new_received' AND col_key = 'total'")
    store.conn.execute("UPDATE files SET parser = 'older code'")  # as an earlier version of the parser left it
    assert ingest_file(path, store).status == "reparsed"
    (value,) = store.conn.execute("SELECT value FROM cells WHERE tbl = '三' AND row_key = 'new_received'"
                                  " AND col_key = 'total'").fetchone()
    assert value == 18  # the new reading replaced the old one, whole
    assert store.counts()["reports"] == 1
    assert _ids(store.conn, "SELECT rowid FROM passages_fts") == _ids(store.conn, "SELECT id FROM passages")
    before = dump_database(store.path)
    assert ingest_file(path, store).status == "unchanged"  # and once only
    assert dump_database(store.path) == before


def test_a_superseded_file_stored_by_other_code_stays_superseded(store, tmp_path):
    old = _copy(tmp_path, QIAOTOUHU)
    ingest_file(old, store)
    assert ingest_file(_edited_qiaotouhu(tmp_path), store).status == "replaced"
    store.conn.execute("UPDATE files SET parser = 'older code'")
    assert ingest_file(old, store).status == "superseded"  # a newer file holds 桥头胡街道 2020: the old one stays out
    assert [r["source"] for r in store.reports()] == ["qiaotouhu_corrected.txt"]


def test_passage_fts_rowid_is_the_passage_id(store, tmp_path):
    for number in (QIAOTOUHU, ZUOJIAZHUANG):
        ingest_file(_copy(tmp_path, number), store)
    rows = store.conn.execute(
        "SELECT p.id, p.text, r.body, p.section, f.rowid, f.tokens FROM passages p JOIN reports r ON r.id = p.report_id"
        " LEFT JOIN passages_fts f ON f.rowid = p.id").fetchall()
    assert len(rows) == store.counts()["passages"] > 0
    for passage_id, text, body, section, fts_rowid, tokens in rows:
        assert fts_rowid == passage_id
        indexed = set(tokens.split())
        assert set(tokenize(text)) <= indexed  # the passage is findable by its own words
        assert set(tokenize(body)) <= indexed  # and by its body's name, cut as a question naming it is cut


def test_fts_finds_chinese_terms_in_the_right_passages(store, tmp_path):
    ingest_file(_copy(tmp_path, QIAOTOUHU), store)
    conn = store.conn
    hits = _ids(conn, "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?", '"领导小组"')
    assert hits
    assert hits == _ids(conn, "SELECT id FROM passages WHERE text LIKE '%领导小组%' OR section LIKE '%领导小组%'")
    # every passage is indexed with its body's name, cut by the same tokenizer a question goes through
    name = " AND ".join(f'tokens:"{t}"' for t in tokenize("桥头胡街道"))
    body_hits = _ids(conn, "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?", name)
    assert body_hits == _ids(conn, "SELECT id FROM passages")


def _fail(*args, **kwargs):
    raise sqlite3.OperationalError("disk I/O error (injected)")


@pytest.mark.parametrize("inside", ["_insert_findings", "_recheck_years"])
def test_failed_write_of_a_new_report_leaves_the_store_as_it_was(store, tmp_path, monkeypatch, inside):
    ingest_file(_copy(tmp_path, ZUOJIAZHUANG), store)
    before = dump_database(store.path)
    monkeypatch.setattr(Store, inside, _fail)
    path = _copy(tmp_path, QIAOTOUHU)
    with pytest.raises(sqlite3.OperationalError, match="injected"):
        store.write(parse_bytes(path.read_bytes(), path.name), hashlib.sha256(path.read_bytes()).hexdigest())
    assert dump_database(store.path) == before
    monkeypatch.undo()
    assert ingest_file(path, store).status == "added"  # and the store still works


def test_failed_replacement_keeps_the_old_report(store, tmp_path, monkeypatch):
    ingest_file(_copy(tmp_path, QIAOTOUHU), store)
    ingest_file(_copy(tmp_path, ZUOJIAZHUANG), store)
    before = dump_database(store.path)
    # _insert_findings runs after the old report's rows were deleted and the new ones inserted
    monkeypatch.setattr(Store, "_insert_findings", _fail)
    path = _edited_qiaotouhu(tmp_path)
    with pytest.raises(sqlite3.OperationalError, match="injected"):
        store.write(parse_bytes(path.read_bytes(), path.name), hashlib.sha256(path.read_bytes()).hexdigest())
    assert dump_database(store.path) == before


def test_failed_cross_year_recheck_changes_nothing(store, tmp_path, monkeypatch):
    ingest_file(_copy(tmp_path, QIAOTOUHU), store)  # 桥头胡街道 2020
    before = dump_database(store.path)
    calls = []

    def check_then_fail(*args):
        calls.append(args)
        raise sqlite3.IntegrityError("constraint failed (injected)")

    monkeypatch.setattr(store_module, "check_across_years", check_then_fail)
    year_2019 = tmp_path / "qiaotouhu_2019.txt"
    year_2019.write_text(shift_years(sample_text(QIAOTOUHU), -1), encoding="utf-8")
    with pytest.raises(sqlite3.IntegrityError, match="injected"):
        data = year_2019.read_bytes()
        store.write(parse_bytes(data, year_2019.name), hashlib.sha256(data).hexdigest())
    assert calls  # the failure came from inside the transaction, with both years written
    assert dump_database(store.path) == before


def _write(store: Store, path: Path):
    data = path.read_bytes()
    return store.write(parse_bytes(data, path.name), hashlib.sha256(data).hexdigest())


def test_a_batch_indexes_its_passages_once_they_are_written(store, tmp_path):
    """In a batch the FTS5 rows wait for the commit: a report replaced within the batch leaves only the rows of
    the file that replaced it, and the index holds exactly the stored passages."""
    committed = []
    with store.batch(on_commit=lambda: committed.append(store.counts()["passages"])) as done:
        _write(store, _copy(tmp_path, ZUOJIAZHUANG))
        done()
        _write(store, _copy(tmp_path, QIAOTOUHU))
        done()
        assert _write(store, _edited_qiaotouhu(tmp_path)).status == "replaced"
        done()
    conn = store.conn
    assert committed and committed[-1] == store.counts()["passages"]
    assert _ids(conn, "SELECT rowid FROM passages_fts") == _ids(conn, "SELECT id FROM passages")
    conn.execute("INSERT INTO passages_fts (passages_fts) VALUES ('integrity-check')")
    corrected = _ids(conn, "SELECT id FROM passages WHERE text LIKE '%本年度无其他需要报告的事项%'")
    term = " AND ".join(f'tokens:"{t}"' for t in tokenize("本年度无其他需要报告的事项"))
    assert corrected and _ids(conn, "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?", term) == corrected


def test_a_batch_whose_index_rows_fail_commits_nothing_and_says_nothing(store, tmp_path, monkeypatch):
    ingest_file(_copy(tmp_path, ZUOJIAZHUANG), store)
    before = dump_database(store.path)
    monkeypatch.setattr(Store, "_insert_fts", _fail)
    said = []
    with pytest.raises(sqlite3.OperationalError, match="injected"):
        with store.batch(on_commit=lambda: said.append(True)) as done:
            _write(store, _copy(tmp_path, QIAOTOUHU))
            done()
    assert said == [] and dump_database(store.path) == before
    monkeypatch.undo()
    assert ingest_file(_copy(tmp_path, QIAOTOUHU), store).status == "added"  # and the store still works


def test_report_ids_grow_as_reports_are_written(store, tmp_path):
    """A new report's id sorts after every id written before it (a replacement's too), so its cells go at the end
    of the indexes ordered by report; the same file again keeps its id."""
    ids = [_write(store, _copy(tmp_path, number)).report_id for number in (ZUOJIAZHUANG, QIAOTOUHU)]
    replaced = _write(store, _edited_qiaotouhu(tmp_path))
    assert replaced.status == "replaced"
    ids.append(replaced.report_id)
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert _write(store, _copy(tmp_path, ZUOJIAZHUANG)).report_id == ids[0]  # unchanged: the id it has
    assert _ids(store.conn, "SELECT id FROM reports") == {ids[0], ids[2]}


def _slow_clock(monkeypatch):
    """The store's clock, two seconds on at every look: a batch commits after each report (the one-second rule)."""
    import itertools
    import time
    import types

    ticks = itertools.count(step=2.0)
    monkeypatch.setattr(store_module, "time", types.SimpleNamespace(monotonic=lambda: next(ticks), time=time.time))


def test_a_batch_that_commits_as_it_writes_says_each_file_once(store, tmp_path, monkeypatch):
    from ingest.pipeline import Batch, read_file

    _slow_clock(monkeypatch)
    said: list[list[str]] = []
    paths = [_copy(tmp_path, number) for number in (ZUOJIAZHUANG, QIAOTOUHU)]
    with Batch(store, lambda outcomes: said.append([o.status for o in outcomes]), every=10) as batch:
        for path in paths:
            batch.add(read_file(path, store))
    assert sum(said, []) == ["added", "added"] and len(said) >= 2  # committed one by one, each said once
    assert store.counts()["reports"] == 2


def test_a_commit_that_fails_mid_batch_says_only_what_was_committed(store, tmp_path, monkeypatch):
    from ingest.pipeline import Batch, read_file

    _slow_clock(monkeypatch)
    calls = []
    real = Store._insert_fts

    def second_fails(self, rows):
        calls.append(rows)
        if len(calls) == 2:
            _fail()
        real(self, rows)

    monkeypatch.setattr(Store, "_insert_fts", second_fails)
    said: list[str] = []
    with pytest.raises(sqlite3.OperationalError, match="injected"):
        with Batch(store, lambda outcomes: said.extend(o.path.name for o in outcomes), every=10) as batch:
            for number in (ZUOJIAZHUANG, QIAOTOUHU):
                batch.add(read_file(_copy(tmp_path, number), store))
    assert said == [sample_path(ZUOJIAZHUANG).name]
    assert [r["source"] for r in store.reports()] == [sample_path(ZUOJIAZHUANG).name]


class _InterruptedAfterCommit:
    """The store's connection, with a Ctrl-C that surfaces as the first COMMIT returns (pressed during its fsync)."""

    def __init__(self, conn):
        self._conn, self.armed = conn, True

    def execute(self, sql, *args):
        result = self._conn.execute(sql, *args)
        if sql == "COMMIT" and self.armed:
            self.armed = False
            raise KeyboardInterrupt
        return result

    def __getattr__(self, name):
        return getattr(self._conn, name)


def _batch_of_samples(store, said: list, numbers=(ZUOJIAZHUANG, QIAOTOUHU)) -> None:
    from ingest.pipeline import Batch, read_file

    items = [read_file(sample_path(number), store) for number in numbers]
    with Batch(store, lambda outcomes: said.extend(o.path.name for o in outcomes)) as batch:
        for item in items:
            batch.add(item)


def test_ctrl_c_during_the_commit_still_says_what_it_stored(store):
    real = store.conn
    store.conn = _InterruptedAfterCommit(real)
    said: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        _batch_of_samples(store, said)
    store.conn = real
    assert sorted(said) == sorted(r["source"] for r in store.reports()) and len(said) == 2


@pytest.mark.parametrize("room", [40, 80])
def test_a_full_disk_mid_batch_says_nothing_was_stored(store, room):
    """SQLite rolls a transaction back itself when the disk fills (PRAGMA max_page_count stands in for it)."""
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count={pages + room}")
    said: list[str] = []
    with pytest.raises(sqlite3.DatabaseError):
        _batch_of_samples(store, said, [path.name.split("_")[0] for path in SAMPLES])
    assert said == [] and store.counts()["reports"] == 0


def test_a_report_rolled_back_in_a_batch_leaves_no_index_rows(store, monkeypatch):
    """Its FTS rows were queued inside its savepoint: they go with it, the others' stay."""
    real = Store._recheck_years

    def second_interrupted(self, body, year, written=None):
        if self.counts()["reports"] == 2:
            raise KeyboardInterrupt
        real(self, body, year, written)

    monkeypatch.setattr(Store, "_recheck_years", second_interrupted)
    said: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        _batch_of_samples(store, said)
    conn = store.conn
    assert said == [sample_path(ZUOJIAZHUANG).name] == [r["source"] for r in store.reports()]
    assert _ids(conn, "SELECT rowid FROM passages_fts") == _ids(conn, "SELECT id FROM passages") != set()
    conn.execute("INSERT INTO passages_fts (passages_fts) VALUES ('integrity-check')")


def test_store_reopens_with_its_data(tmp_path):
    database = tmp_path / "db" / "n.sqlite"
    with Store(database) as first:
        ingest_file(_copy(tmp_path, QIAOTOUHU), first)
        counts = first.counts()
    before = dump_database(database)
    with Store(database) as again:
        assert again.counts() == counts
        assert again.conn.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION
    assert dump_database(database) == before


def test_cells_read_back_as_parsed(store, tmp_path):
    outcome = ingest_file(_copy(tmp_path, ZUOJIAZHUANG), store)
    report_id = store.conn.execute("SELECT id FROM reports").fetchone()[0]
    assert sorted(store.cells(report_id), key=repr) == sorted(outcome.report.cells, key=repr)
    assert [f.message for _, f in store.findings("左家庄街道", 2019)] == [f.message for f in outcome.report.findings]
    assert store.findings("左家庄街道", 2020) == []


def test_a_database_of_another_schema_version_asks_for_a_rebuild(tmp_path):
    from ingest.store import SCHEMA_VERSION, StoreVersionError

    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION - 1}")
    conn.close()
    with pytest.raises(StoreVersionError, match="python -m ingest"):
        Store(path)


def test_one_body_under_two_names_is_found_among_many_bodies(tmp_path):
    """洪泽区人民政府 then 淮安市洪泽区人民政府 (another year) are one body, stored under the longer name, with a
    thousand other bodies held: only names ending alike are compared."""
    from dataclasses import replace

    from ingest.report import parse_bytes

    sample = ROOT / "data" / "reports" / "002_c98c7a4ac036b6ca.txt"
    base = parse_bytes(sample.read_bytes(), sample.name)
    with Store(tmp_path / "db.sqlite") as store:
        with store.batch() as done:
            for i in range(1000):
                store.write(replace(base, body=f"星{i}街道", body_full=f"星{i}街道"), f"{i:064d}")
                done()
        store.write(replace(base, body="洪泽区人民政府", body_full="洪泽区人民政府", year=2023), "a" * 64)
        store.write(replace(base, body="淮安市洪泽区人民政府", body_full="淮安市洪泽区人民政府", year=2024), "b" * 64)
        bodies = {r["body"] for r in store.reports()}
    assert "淮安市洪泽区人民政府" in bodies and "洪泽区人民政府" not in bodies and len(bodies) == 1001
