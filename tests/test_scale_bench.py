"""The scale benchmark's parts on a tiny corpus (six bodies × five years), so that they cannot rot."""
from __future__ import annotations

import sqlite3

import pytest

from benchmarks import scale_bench
from benchmarks.corpus import T3_ROWS, generate_bodies
from index.model import Answer, Chart


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return scale_bench.prepare(tmp_path_factory.mktemp("scale") / "30", 30, log=lambda message: None)


@pytest.fixture(scope="module")
def service(corpus):
    from index.service import Answerer
    from ingest.config import load_config

    answerer = Answerer(load_config(corpus.config), dense=False)
    yield answerer
    answerer.close()


def test_generated_bodies_have_five_years_titles_and_table_three_numbers(tmp_path):
    made = generate_bodies(tmp_path, 4, seed=3)
    assert len(made) == 20 and len({m.body.name for m in made}) == 4
    assert {m.year for m in made} == {2019, 2020, 2021, 2022, 2023}
    for m in made:
        text = m.path.read_text(encoding="utf-8")
        assert text.startswith(f"{m.body.full}{m.year}年度政府信息公开工作年度报告\n")
        assert set(m.table3) == set(T3_ROWS)
        assert m.table3["new_received"] + m.table3["carried_over"] == m.table3["total"] + m.table3["carried_forward"]
    by_body = {}
    for m in sorted(made, key=lambda m: m.year):  # a year's 上年结转 is the 结转下年度 of the year before
        if m.body.name in by_body:
            assert m.table3["carried_over"] == by_body[m.body.name]
        by_body[m.body.name] = m.table3["carried_forward"]
    assert generate_bodies(tmp_path / "again", 4, seed=3)[7].path.read_bytes() == made[7].path.read_bytes()


def test_the_store_is_built_once_checked_against_the_generator_and_reused(corpus):
    checked = corpus.built["checked"]
    assert (checked["reports"], checked["missing"], checked["differ"]) == (30, 0, 0)
    again = scale_bench.prepare(corpus.folder, 30, log=lambda message: pytest.fail("rebuilt: " + message))
    assert again.built == corpus.built and len(again.made) == 30


def test_no_word_asked_about_can_be_read_as_a_body_name():
    from benchmarks.corpus import CHARS

    for text in (*scale_bench.TERMS, *scale_bench.CORPUS_PHRASES, *scale_bench.PHRASES.values(),
                 *scale_bench.RECEIVED.values(), *(words for _, words in scale_bench.MEASURES if words)):
        assert not any(a in CHARS and b in CHARS for a, b in zip(text, text[1:])), text


def test_each_kind_of_question_is_measured_and_checked(corpus, service):
    groups = scale_bench.cases(corpus, 3)
    assert set(groups) == {"numeric", "named text", "whole-corpus text", "scoped text", "sum over a year", "max",
                           "top 3", "other kinds", "trend"}
    conn = sqlite3.connect(f"file:{corpus.database}?mode=ro", uri=True)
    figures = {name: scale_bench.measure(service, conn, name, group) for name, group in groups.items()}
    for name, group in groups.items():
        assert len({case.question for case in group}) == len(group) == len(figures[name].times), name
        assert len(figures[name].sql_times) == (len(group) if group[0].sql else 0)
    for name in ("numeric", "named text", "sum over a year", "max", "trend"):
        assert figures[name].wrong == [], name
    conn.close()


def test_checks_catch_a_wrong_number_and_an_out_of_scope_citation(corpus):
    groups = scale_bench.cases(corpus, 2)
    numeric = groups["numeric"][0]
    assert numeric.check(Answer(numeric.question, "numeric", "", -1.0), None)
    trend = groups["trend"][0]
    chart = Chart("line", "", "件", (("2019年", -1.0), ("2020年", 2.0)))
    assert trend.check(Answer(trend.question, "aggregate", "", 2.0, chart=chart), [(2019, 1.0), (2020, 2.0)])
    total = groups["sum over a year"][0]
    assert total.check(Answer(total.question, "aggregate", "", 3.0), [(3.0,)]) is None
    assert total.check(Answer(total.question, "aggregate", "", 4.0), [(3.0,)])


def test_fresh_process_figures_and_store_size(corpus, tmp_path):
    found = scale_bench.probe(corpus.config, scale_bench.cases(corpus, 2), "街道", runs=1)
    assert found["first"] > 0 and found["next"] > 0 and found["rss"] > found["rss_open"] * 0.9 > 0
    wall, cpu, why = scale_bench.cold_ask(scale_bench.sample_store(tmp_path / "samples"), runs=1)
    assert wall > 0 and cpu > 0 and why is None
    size = scale_bench.db_size(corpus)
    assert size["reports"] == 30 and 0 < (size["fts"] or 0) < size["bytes"]
