"""Aggregates read in SQL (index.tally) read what the Python reading (numeric.read_measures) reads, report by report,
for every measure a question can name: the same status, number, unit and column, on the samples, the real reports
and the wild corpus, with the store's indexes and without them (a store written before them). The store's writer
adds the indexes and the planner's statistics; findings are read for many reports at once, in the same order."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

import index.tally as tally_module
from index.lexicon import _ENTRIES
from index.model import Measure, Query
from index.numeric import Tables, read_measures
from index.question import _t2_has, _t2_unit
from index.service import Answerer
from index.tally import Tally, _from_reading, column_labels, tally
from ingest.cli import main as ingest_main
from ingest.config import load_config
from ingest.store import Store
from ingest.template import T3_COLUMNS, T4_COLUMNS, TABLE2_2019, TABLE2_2021
from tests.conftest import REAL, ROOT, SAMPLES

WILD = sorted(p for p in (ROOT / "tests" / "fixtures" / "wild" / "reports").glob("*.txt") if "excerpt" not in p.name)
NEW_INDEXES = ("cells_by_row", "cells_absent", "reports_in_year")


def _measures() -> list[tuple[Measure, Query]]:
    """Every row a question can name, in each column it can ask (summed ones too), every table-二 row and column,
    and measures of several rows with alternatives (其他处理 as one row or three, sub-rows of 其他对外管理服务)."""
    out = []
    for sense in (s for _, s in _ENTRIES if s.kind == "row"):
        other = (("other.overdue_correction", "other.unpaid_fees", "other.other"),) if sense.key == "other" else ()
        measure = Measure(sense.table, sense.rows, None, sense.label, "件", other)
        columns = [c.key for c in (T3_COLUMNS if sense.table == "三" else T4_COLUMNS)]
        columns += ["legal_persons", "natural_person+commercial", "legal_persons+natural_person"] \
            if sense.table == "三" else ["upheld+corrected"]
        out += [(measure, Query(text="", column=column)) for column in [None, *columns]]
    out.append((Measure("四", ("review",), None, "行政复议", "件"), Query(text="复议维持了几件")))
    for row in sorted({r.key for spec in (TABLE2_2019, TABLE2_2021) for r in spec.rows}):
        for column in ("items", "amount", "fee_amount", "previous_items", "change", "made", "published",
                       "total_public", "issued", "repealed", "in_force", "decisions"):
            if _t2_has(row, column):
                out.append((Measure("二", (row,), column, row, _t2_unit(column)), Query(text="")))
    out += [
        (Measure("三", ("disclosed", "other"), None, "x", "件",
                 (("disclosed", "other.overdue_correction", "other.unpaid_fees", "other.other"),)), Query(text="")),
        (Measure("三", ("withheld.state_secret", "withheld.third_party", "unavailable.not_held"), None, "x", "件"),
         Query(text="")),
        (Measure("三", ("total",), None, "x", "件", (("new_received",), ("total",))), Query(text="")),
        (Measure("二", ("other_services", "procurement"), "decisions", "x", "件"), Query(text="")),
        (Measure("二", ("other_services",), "decisions", "x", "件", (("punishment",),)), Query(text="")),
        (Measure("二", ("regulations", "normative_documents"), "made", "x", "件"), Query(text="")),
    ]
    return out


MEASURES = _measures()


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A store of the samples, the real reports and the wild corpus (65 reports): blank, unknown and absent rows,
    money in 元 and 万元, both formats of table 二, sub-rows, findings."""
    folder = tmp_path_factory.mktemp("sql_aggregates")
    config = folder / "config.toml"
    config.write_text('[paths]\nreports = "reports"\ndatabase = "db.sqlite"\nindex = "idx"\n', encoding="utf-8")
    assert ingest_main(["--config", str(config), "--no-index", "--quiet", *map(str, SAMPLES + REAL + WILD)]) == 0
    return config


@pytest.fixture(scope="module")
def database(store: Path) -> Path:
    return load_config(store).paths.database


@pytest.fixture(scope="module")
def old_database(database: Path, tmp_path_factory) -> Path:
    """The same store without the indexes of index.tally, as a store written before them is."""
    path = tmp_path_factory.mktemp("old_store") / "db.sqlite"
    shutil.copy(database, path)
    conn = sqlite3.connect(path)
    for name in NEW_INDEXES:
        conn.execute(f"DROP INDEX {name}")
    conn.execute("DROP TABLE IF EXISTS sqlite_stat1")
    conn.commit()
    conn.close()
    return path


def _readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def _reference(tables: Tables, reports, measure: Measure, query: Query) -> list[Tally]:
    return [_from_reading(r) for r in read_measures(tables, reports, measure, query)]


@pytest.mark.parametrize("indexed", [True, False], ids=["indexed", "before-the-indexes"])
def test_every_measure_tallies_in_sql_as_the_cells_read_in_python(indexed, database, old_database, monkeypatch):
    read_again = []

    def counting(tables, reports, measure, query):
        read_again.extend(reports)
        return read_measures(tables, reports, measure, query)

    monkeypatch.setattr(tally_module, "read_measures", counting)
    conn = _readonly(database if indexed else old_database)
    try:
        tables = Tables(conn)
        assert tables.has_index("cells_by_row") is indexed
        reports = tables._refs("1", ())
        statuses: dict[str, int] = {}
        for measure, query in MEASURES:
            expected = _reference(tables, reports, measure, query)
            for want, got in zip(expected, tally(tables, reports, measure, query), strict=True):
                assert got == want, (measure, query.column, want.report.body, want.report.year)
                statuses[want.status] = statuses.get(want.status, 0) + 1
    finally:
        conn.close()
    assert set(statuses) == {"ok", "blank", "unknown", "missing"}
    # the comparison is of SQL's numbers: few reports are read again in Python (a blank 总计, fractions added)
    assert len(read_again) < 0.01 * sum(statuses.values()), len(read_again)


def test_a_tally_of_some_reports_follows_their_order(database):
    conn = _readonly(database)
    try:
        tables = Tables(conn)
        reports = tables._refs("1", ())[::-3]
        measure = Measure("三", ("new_received",), None, "本年新收", "件")
        found = tally(tables, reports + reports[:2], measure, Query(text=""))
        assert [t.report for t in found] == reports + reports[:2]
        assert tally(tables, [], measure, Query(text="")) == []
    finally:
        conn.close()


def test_sub_rows_are_summed_with_their_row(database):
    # 左家庄街道 2019 prints 其他对外管理服务事项 as two sub-rows, 行政检查 and 行政确认
    conn = _readonly(database)
    try:
        tables = Tables(conn)
        report = tables.reports_in(2019, None)
        report = next(r for r in report if r.body == "左家庄街道")
        measure = Measure("二", ("other_services",), "decisions", "其他对外管理服务事项", "件")
        [found] = tally(tables, [report], measure, Query(text=""))
        [reading] = read_measures(tables, [report], measure, Query(text=""))
        assert {c.row_key for c in reading.cells} == {"other_services/行政检查", "other_services/行政确认"}
        assert (found.status, found.value, found.row) == ("ok", reading.value, "other_services/行政检查")
        assert column_labels(tables, [found], "二") == [reading.column_label]
    finally:
        conn.close()


def test_findings_of_many_reports_are_those_of_each(database):
    conn = _readonly(database)
    try:
        tables = Tables(conn)
        ids = [r.id for r in tables._refs("1", ())]
        for rules in ((), ("t3_row_sum", "t4_group_sum"), ("t3_balance",)):
            many = tables.findings_of(ids, rules)
            assert sum(map(len, many.values())) > 0
            assert {i: f for i in ids if (f := tables.findings(i, rules))} == many
        touching = tables.findings_of(ids, (), "三", ("new_received",))
        assert touching and all(any(ref.startswith("三/new_received/") for ref in refs)
                                for found in touching.values() for _, refs in found)
    finally:
        conn.close()


def test_the_rows_asked_are_read_from_the_covering_index(database):
    conn = _readonly(database)
    try:
        measure = Measure("三", ("new_received",), None, "本年新收", "件")
        sql = tally_module._tally_sql(measure, tally_module._candidates(measure, ("total",)), ("total",), True,
                                      True, True)
        plan = " / ".join(row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", ("[]",)))
        assert "SEARCH c USING COVERING INDEX cells_by_row (tbl=? AND row_key=? AND col_key=? AND report_id=?)" in plan
        assert "SCAN c" not in plan
    finally:
        conn.close()


def test_the_writer_adds_the_indexes_and_the_planner_statistics(store, database):
    conn = _readonly(database)
    try:
        names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        analyzed = {table for (table,) in conn.execute("SELECT DISTINCT tbl FROM sqlite_stat1")}
    finally:
        conn.close()
    assert set(NEW_INDEXES) <= names and {"cells", "reports"} <= analyzed


def test_a_store_written_before_the_indexes_gets_them_at_its_next_ingest(old_database, tmp_path):
    path = tmp_path / "db.sqlite"
    shutil.copy(old_database, path)
    with Store(path) as store:
        names = {name for (name,) in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert set(NEW_INDEXES) <= names
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == 7


AGGREGATES = ["2019年各街道一共收到多少政府信息公开申请", "2024年平潭哪个局收到的政府信息公开申请最多（不算全区汇总报告）",
              "平潭各单位2024年收到多少申请", "2021年平潭收录的部门和片区合计收到多少政府信息公开申请",
              "2022年平潭各单位行政处罚处理决定前三名", "2019年哪个街道政府集中采购花的钱最多", "2020年各单位规章本年新制作多少",
              "平潭自然资源局这几年收到的申请量怎么变化，最新一年是多少", "2021年各单位行政复议一共几件",
              "2025年各单位法人或其他组织提出的申请合计", "2019年各街道其他对外管理服务事项处理决定加起来多少",
              "2022年各单位规范性文件本年新制作合计"]  # the last reads the other format's column, and names it


def test_answers_over_tallies_are_those_over_the_cells_read_in_python(store, monkeypatch):
    service = Answerer(load_config(store), dense=False)
    try:
        answers = [service.answer(q).to_json() for q in AGGREGATES]
        import index.aggregate

        monkeypatch.setattr(index.aggregate, "tally", _reference)
        assert [service.answer(q).to_json() for q in AGGREGATES] == answers
    finally:
        service.close()
    assert {a["kind"] for a in answers} == {"aggregate"}
    assert any("本年制发件数" in w for w in answers[-1]["warnings"])
