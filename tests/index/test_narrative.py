"""Narrative answers over BM25: quoted passages with citations, numbers that live only in the text, and the hard
body/year filter of the lexical search."""
from __future__ import annotations

import pytest

from index.lexical import LexicalIndex, match_expression
from index.model import ReportRef
from index.narrative import Retriever
from index.question import parse_question


def report_id(conn, body: str) -> str:
    return conn.execute("SELECT id FROM reports WHERE body = ?", (body,)).fetchone()[0]


def test_problems_of_a_body(answerer):
    answer = answerer.answer("东柳街道2020年政府信息公开工作存在哪些问题")
    assert answer.kind == "narrative"
    assert answer.value is None
    assert "重视程度有待提高" in answer.answer
    assert {(c.org, c.year) for c in answer.citations} == {("东柳街道", 2020)}
    assert any("重视程度有待提高" in c.text for c in answer.citations)


def test_number_that_lives_only_in_the_text(answerer):
    answer = answerer.answer("王家街道微信公众号发布了多少条工作简报信息")
    assert answer.kind == "narrative"
    assert "167" in answer.answer
    assert answer.value is None  # a quoted sentence, not a table cell
    assert (answer.org, answer.year) == ("王家街道", 2019)
    assert any(c.org == "王家街道" and c.year == 2019 and "167" in c.text for c in answer.citations)


@pytest.mark.parametrize("question, body, phrase", [
    ("柴桥街道通过哪些新媒体公开信息", "柴桥街道", "阿拉柴桥"),
    ("桥头胡街道的微信公众号叫什么", "桥头胡街道", "潮起黄墩"),
    ("东柳街道办事处的联系电话是多少", "东柳街道", "55002786"),
])
def test_quotes_come_from_the_body_asked(answerer, question, body, phrase):
    answer = answerer.answer(question)
    assert phrase in answer.answer
    assert {c.org for c in answer.citations} == {body}


def test_question_about_one_body_cites_no_other(answerer):
    # every report talks about its 微信公众号; the question names 东柳 only
    answer = answerer.answer("东柳街道的微信公众号和网站")
    assert answer.kind == "narrative"
    assert answer.citations and {c.org for c in answer.citations} == {"东柳街道"}


def test_question_about_one_year_cites_no_other_year(answerer):
    answer = answerer.answer("2019年各街道通过哪些微信公众号公开信息")
    assert answer.kind == "narrative"
    assert answer.citations and {c.year for c in answer.citations} == {2019}


def test_lexical_search_honours_the_report_filter(conn):
    lexical = LexicalIndex(conn)
    everywhere = lexical.search("微信公众号 政府信息公开 网站", limit=50)
    assert len({pid for pid, _ in everywhere}) == len(everywhere)
    owners = {conn.execute("SELECT report_id FROM passages WHERE id = ?", (pid,)).fetchone()[0]
              for pid, _ in everywhere}
    assert len(owners) > 1  # the words occur in several reports...
    wanted = report_id(conn, "东柳街道")
    hits = lexical.search("微信公众号 政府信息公开 网站", (wanted,), limit=50)
    assert hits
    for pid, _ in hits:  # ...but a filtered search only scores the one asked for
        assert conn.execute("SELECT report_id, kind FROM passages WHERE id = ?", (pid,)).fetchone() == (wanted, "text")
    assert [score for _, score in hits] == sorted((score for _, score in hits), reverse=True)


def test_retriever_filter_and_favoured_section(conn, gazetteer):
    question = "东柳街道2020年政府信息公开工作存在哪些问题"
    query = parse_question(question, gazetteer)
    report = conn.execute("SELECT id, body, body_full, year, title, source, format FROM reports WHERE body = ?",
                          ("东柳街道",)).fetchone()
    hits = Retriever(conn).search(question, query, [ReportRef(*report)], mode="bm25")
    assert hits and all(hit.report.body == "东柳街道" for hit in hits)
    assert hits[0].favoured and hits[0].section_key == "problems"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_match_expression_quotes_every_token():
    expression = match_expression(['"桥头胡"', "AND", "NEAR("], ("abc",), "text")
    assert expression == ('(tokens:"""桥头胡""" OR tokens:"AND" OR tokens:"NEAR(") AND (tags:"rabc")'
                          ' AND tags:"ktext"')
    assert match_expression([]) is None


@pytest.mark.parametrize("text", ['"桥头胡" AND (NEAR', "'; DROP TABLE cells; --", "桥头胡 OR 1=1", "* ^ : ( ) -"])
def test_lexical_search_takes_fts_syntax_as_words(conn, text):
    hits = LexicalIndex(conn).search(text)
    assert isinstance(hits, list)
    assert conn.execute("SELECT COUNT(*) FROM cells").fetchone()[0] > 0


def test_lexical_search_without_words_finds_nothing(conn):
    assert LexicalIndex(conn).search("的了吗？！") == []
    assert LexicalIndex(conn).search("") == []


def test_a_small_count_written_in_words_is_a_number_stated():
    from index.narrative import _states_number

    assert _states_number("街道党政综合办配备一名工作人员，专职负责政府信息公开。", ["工作人员"])
    assert _states_number("全年开展两次专题培训。", ["专题培训"])
    assert not _states_number("一是进一步加强组织领导。", ["组织领导"])  # an enumeration, not a count
    assert not _states_number("第一次全体会议召开。", ["会议"])
    # a count of something else is no answer (一项长期性工作, 四个部分)
    assert not _states_number("将丰富信息公开内容作为一项长期性、日常性的工作来抓。", ["公开"])
    assert not _states_number("全文包括主动公开政府信息情况……四个部分。", ["主动公开", "政府信息"])
    assert _states_number("共收到申请3件。")


def test_a_count_of_something_else_is_not_quoted_as_the_number_asked(answerer):
    for question in ("桥头胡街道2020年公开了几件", "王家街道2019年主动公开了多少条政府信息"):
        answer = answerer.answer(question)
        assert "一项长期性" not in answer.answer.split("\n")[0] and "四个部分" not in answer.answer.split("\n")[0]


def test_a_count_in_words_is_quoted_for_a_question_after_it(answerer):
    answer = answerer.answer("东柳街道专门负责政府信息公开的工作人员有几个")
    assert answer.kind == "narrative" and answer.value is None
    assert "配备一名工作人员" in answer.answer


def test_a_contact_the_report_does_not_give_is_said_to_be_missing(answerer):
    answer = answerer.answer("左家庄街道的电话是多少")  # its text says 与申请人联系, and gives no contact
    assert answer.kind == "none" and "没有写到“联系方式”" in answer.answer
    assert "67179799" in answerer.answer("王家街道的联系电话").answer


def test_a_blank_cell_comes_with_the_sentence_that_states_the_number(answerer):
    answer = answerer.answer("左家庄街道行政复议总数")  # table 四 left blank; the text: 行政复议申请 0 件
    assert answer.value is None and "未填写" in answer.answer and "行政复议申请 0 件" in answer.answer


def test_zhan_duoshao_at_the_end_asks_the_share_and_gets_the_count_too(answerer):
    answer = answerer.answer("桥头胡街道需要另行制作的申请占多少")
    assert "5件" in answer.answer and "45.45%" in answer.answer
