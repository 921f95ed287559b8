"""Text search within a scope: FTS5's ranking, as it was when every report in scope was a term of the MATCH, without
naming the reports in a MATCH; and a scope of a year or a kind of body searched as the reports it lists."""
from __future__ import annotations

import json
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

import index.lexical as lexical
from index.lexical import FEW_REPORTS, LexicalIndex, match_expression
from index.narrative import SECTION_EXPANSIONS, ReportScope, Retriever
from index.numeric import Tables
from index.question import parse_question
from index.service import Answerer
from ingest.cli import main as ingest_main
from ingest.config import load_config
from ingest.store import Store
from ingest.tokenize import tokenize
from tests.conftest import ROOT

WILD = ROOT / "tests" / "fixtures" / "wild" / "reports"
GOLD = ROOT / "tests" / "fixtures" / "gold"


def fts5_ranking(conn: sqlite3.Connection, tokens: list[str], report_ids=(), kind: str | None = "text",
                 limit: int = 30) -> list[tuple[int, float]]:
    """The ranking as it was: one MATCH of the words, a tags term per report in scope and the kind; FTS5 ranks."""
    expression = match_expression(tokens, report_ids, kind)
    rows = conn.execute("SELECT rowid, bm25(passages_fts, 1.0, 0.0) AS score FROM passages_fts"
                        " WHERE passages_fts MATCH ? ORDER BY score LIMIT ?", (expression, limit))
    return [(rowid, -score) for rowid, score in rows]


def texts() -> list[str]:
    """What the gold questions search for: each question, and each with the words of the section it points at."""
    questions = [json.loads(line)["question"] for name in ("narrative_gold.jsonl", "phrasing_wild.jsonl")
                 for line in (GOLD / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return questions[::3] + [q + " " + words for q, words in zip(questions[1::7], SECTION_EXPANSIONS.values())]


@pytest.fixture(scope="module")
def wild(tmp_path_factory) -> Path:
    """A store of the wild corpus's text files (56 reports of many bodies and years; an excerpt of a report held
    only as a PDF is left out)."""
    folder = tmp_path_factory.mktemp("wild_store")
    reports = folder / "reports"
    reports.mkdir()
    for path in WILD.glob("*.txt"):
        if "excerpt" not in path.name:
            shutil.copy(path, reports / path.name)
    config = folder / "config.toml"
    config.write_text(f'[paths]\nreports = "{reports.as_posix()}"\ndatabase = "db.sqlite"\nindex = "idx"\n',
                      encoding="utf-8")
    assert ingest_main(["--config", str(config), "--no-index", "--quiet"]) == 0
    return config


@pytest.fixture
def wild_conn(wild: Path):
    connection = sqlite3.connect(f"file:{load_config(wild).paths.database}?mode=ro", uri=True)
    yield connection
    connection.close()


def report_ids(conn: sqlite3.Connection, where: str = "1", args: tuple = ()) -> tuple[str, ...]:
    return tuple(r for (r,) in conn.execute(f"SELECT id FROM reports WHERE {where} ORDER BY id", args))


@pytest.mark.parametrize("store", ["samples", "wild"])
def test_the_whole_corpus_is_ranked_as_fts5_ranks_it(store, conn, wild_conn):
    connection = conn if store == "samples" else wild_conn
    index = LexicalIndex(connection)
    for text in texts():
        tokens, _ = index.terms(text)
        assert index.search(text, limit=30) == fts5_ranking(connection, tokens), text


def test_a_scope_is_ranked_as_with_a_term_per_report(wild_conn):
    everything = report_ids(wild_conn)
    sampled = tuple(random.Random(7).sample(everything, FEW_REPORTS + 5))
    retriever = Retriever(wild_conn)
    scopes = [everything, sampled, report_ids(wild_conn, "year <= 2021"),
              retriever.held(ReportScope(kind="局")), retriever.held(ReportScope(kind="局", place="平潭综合实验区"))]
    assert all(len(ids) > FEW_REPORTS for ids in scopes)  # searched through the shares
    index = retriever.lexical
    for ids in scopes:
        for text in texts():
            tokens, _ = index.terms(text)
            found = index.search(text, ids, limit=30)
            assert found == fts5_ranking(wild_conn, tokens, ids), text
            owners = {r for (r,) in wild_conn.execute(
                f"SELECT report_id FROM passages WHERE id IN ({','.join('?' * len(found))})", [p for p, _ in found])}
            assert owners <= set(ids)


def test_a_few_reports_ranked_through_the_shares_rank_as_fts5(conn, monkeypatch):
    monkeypatch.setattr(lexical, "FEW_REPORTS", 0)  # (a few reports are scored in Python otherwise)
    ids = report_ids(conn)
    index = LexicalIndex(conn)
    for scope in [ids[:1], ids[1:3], ids[-2:]]:
        for text in texts()[:40]:
            tokens, _ = index.terms(text)
            assert index.search(text, scope, limit=30) == fts5_ranking(conn, tokens, scope), text


def test_the_shares_kept_are_bounded_and_rank_the_same(wild_conn, monkeypatch):
    monkeypatch.setattr(lexical, "MAX_SHARES", 500)
    cache: dict = {}
    for text in texts()[:30]:
        index = LexicalIndex(wild_conn, cache=cache)
        tokens, _ = index.terms(text)
        assert index.search(text, limit=30) == fts5_ranking(wild_conn, tokens), text
        kept = cache[lexical._KEPT]
        assert kept.held <= 500 or len(kept.shares) == 1


@pytest.mark.parametrize("store, question", [
    ("samples", "2019年各街道通过哪些微信公众号公开信息"),
    ("samples", "哪些街道提到了政务新媒体"),
    ("wild", "哪些局提到了微信公众号"),
    ("wild", "平潭综合实验区各局的政务新媒体"),
    ("wild", "2025年存在哪些问题"),
    ("wild", "哪些片区提到了信息处理费"),
])
def test_a_scope_is_searched_as_the_reports_it_lists(store, question, database, wild):
    path = database if store == "samples" else load_config(wild).paths.database
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = Tables(connection)
        query = parse_question(question, _gazetteer(connection))
        scope = ReportScope(query.years, query.scope, query.place)
        listed = scope.listed(tables)
        assert listed, question
        retriever = Retriever(connection)
        assert retriever.held(scope) == tuple(r.id for r in listed)
        assert retriever.search(question, query, scope, limit=20, mode="bm25") == \
            retriever.search(question, query, listed, limit=20, mode="bm25")
    finally:
        connection.close()


def _gazetteer(connection):
    from index.gazetteer import Gazetteer

    return Gazetteer(Tables(connection).bodies())


def test_a_scope_is_listed_once_while_the_store_is_unchanged(conn, monkeypatch):
    cache: dict = {}
    scope = ReportScope((2019,), "街道", None)
    first = Retriever(conn, cache=cache).held(scope)
    monkeypatch.setattr(ReportScope, "listed", lambda self, tables: pytest.fail("listed again"))
    assert Retriever(conn, cache=cache).held(scope) is first


def test_a_scope_of_no_report_finds_nothing(conn, gazetteer):
    query = parse_question("1990年各街道有哪些改进措施", gazetteer)
    assert Retriever(conn).search("1990年各街道有哪些改进措施", query, ReportScope((1990,), "街道")) == []


def test_a_scope_question_answers_as_before(answerer):
    answer = answerer.answer("2019年各街道通过哪些微信公众号公开信息")
    assert answer.kind == "narrative" and answer.citations and {c.year for c in answer.citations} == {2019}
    assert answerer.answer("1990年各街道有哪些改进措施").kind == "none"


# --- stores written by hand: passages that are not consecutive, a store written while it is read ------------------
def _hand_store(path: Path, passages: list[tuple[int, str, str, str]]) -> None:
    """(id, report id, kind, text) per passage, indexed as ingest indexes them."""
    store = Store(path)
    try:
        for report_id in sorted({p[1] for p in passages}):
            store.conn.execute("INSERT OR IGNORE INTO reports (id, body, body_full, year, part) VALUES (?, ?, ?, 2020,"
                               " 'full')", (report_id, f"{report_id}街道", f"{report_id}街道"))
        for pid, report_id, kind, text in passages:
            store.conn.execute("INSERT INTO passages (id, report_id, kind, text) VALUES (?, ?, ?, ?)",
                               (pid, report_id, kind, text))
            store.conn.execute("INSERT INTO passages_fts (rowid, tokens, tags) VALUES (?, ?, ?)",
                               (pid, " ".join(tokenize(text)), f"r{report_id} k{kind}"))
    finally:
        store.close()


TEXTS = ["通过微信公众号和政府网站发布信息", "政务新媒体平台建设有待加强", "依申请公开答复不够规范",
         "进一步加强培训，改进措施落实", "微博和抖音发布政策解读", "信息处理费未收取"]


def test_passages_of_a_report_that_are_not_consecutive_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(lexical, "FEW_REPORTS", 0)
    passages = [(i + 1, "ab"[i % 2], "text" if i % 3 else "row", TEXTS[i % len(TEXTS)] + "。" + TEXTS[i * 5 % 6])
                for i in range(30)]  # reports a and b take turns
    _hand_store(tmp_path / "db.sqlite", passages)
    connection = sqlite3.connect(f"file:{tmp_path / 'db.sqlite'}?mode=ro", uri=True)
    try:
        index = LexicalIndex(connection)
        for text in TEXTS:
            tokens, _ = index.terms(text)
            for scope in [("a",), ("b",), ("a", "b")]:
                assert index.search(text, scope, limit=30) == fts5_ranking(connection, tokens, scope), text
        assert sorted(index.passage_ids(("a",))) == [p for p, r, kind, _ in passages if r == "a" and kind == "text"]
    finally:
        connection.close()


def test_a_store_written_while_it_is_read(tmp_path):
    path = tmp_path / "db.sqlite"
    _hand_store(path, [(i + 1, "a", "text", text) for i, text in enumerate(TEXTS)])
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cache: dict = {}
        assert LexicalIndex(connection, cache=cache).search("微信公众号")  # the passage rows are read now
        _hand_store(path, [(100, "b", "text", "微博和抖音，信息处理费")])
        index = LexicalIndex(connection, cache=cache)
        tokens, _ = index.terms("抖音 微博")
        assert index.search("抖音 微博", limit=30) == fts5_ranking(connection, tokens)
        assert 100 in {pid for pid, _ in index.search("抖音 微博")}
    finally:
        connection.close()


def test_a_scoped_question_does_not_name_its_reports_in_a_match(wild):
    service = Answerer(load_config(wild), dense=False)
    statements: list[str] = []
    try:
        service.answer("2019年有哪些改进措施")  # (the connection of this thread is open now)
        service._conn().set_trace_callback(statements.append)
        answer = service.answer("哪些局提到了微信公众号")  # 49 reports
        assert answer.kind == "narrative"
        assert not any("tags:\"r" in s or "tags:\\\"r" in s for s in statements)
    finally:
        service.close()
