"""The Answerer's contract: questions it cannot answer (no such body or year, out of scope, empty, huge, emoji, SQL
or FTS5 syntax) come back as a calm not-found Answer, never an exception and never a number."""
from __future__ import annotations

import sqlite3

import pytest

from index.service import Answerer
from ingest.config import load_config
from tests.index.conftest import write_config

CANNOT_ANSWER = {
    "no such body": "朝阳门街道2020年收到多少申请",
    "no such year": "桥头胡街道2019年收到多少申请",
    "out of scope": "今天天气怎么样",
    "empty": "",
    "white space": " \t\n　 ",
    "5000 characters": ("今天天气怎么样，" * 700)[:5000],
    "emoji": "😀😀😀",
    "SQL": "'; DROP TABLE cells; --",
    "punctuation": "？！。，、……!?.,;:",
    "FTS5 operators": '" AND (NEAR * OR ^ : -',
}
BODY_AND_SYNTAX = {"SQL with a body": "桥头胡 OR 1=1", "FTS5 with a body": '"桥头胡" AND (NEAR'}


@pytest.mark.parametrize("question", CANNOT_ANSWER.values(), ids=CANNOT_ANSWER.keys())
def test_not_answerable_is_a_calm_none(answerer, question):
    answer = answerer.answer(question)
    assert answer.kind == "none"
    assert answer.value is None
    assert answer.citations == ()
    assert answer.answer.strip()  # it says something


def test_unknown_body_is_named_with_the_bodies_held(answerer):
    answer = answerer.answer("朝阳门街道2020年收到多少申请")
    assert "朝阳门街道" in answer.answer
    assert "桥头胡街道" in answer.answer  # the list of what is held


def test_missing_year_names_the_years_held(answerer):
    answer = answerer.answer("桥头胡街道2019年收到多少申请")
    assert "2019" in answer.answer
    assert "已收录" in answer.answer and "2020年" in answer.answer
    assert "18" not in answer.answer  # never 2020's number for 2019


@pytest.mark.parametrize("question", BODY_AND_SYNTAX.values(), ids=BODY_AND_SYNTAX.keys())
def test_syntax_around_a_body_name_is_harmless(answerer, question):
    answer = answerer.answer(question)
    assert answer.value is None
    assert all(c.org == "桥头胡街道" for c in answer.citations)


def test_store_still_answers_after_hostile_questions(answerer, database):
    for question in list(CANNOT_ANSWER.values()) + list(BODY_AND_SYNTAX.values()):
        answerer.answer(question)
    assert answerer.answer("桥头胡2020年收到多少申请").value == 18
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT COUNT(*) FROM cells").fetchone()[0] > 0
        assert conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 5
    finally:
        conn.close()


def test_a_question_padded_with_marks_is_read_whole(answerer):
    answer = answerer.answer("桥头胡2020年收到多少申请" + "。" * 5000)
    assert answer.value == 18
    assert not answer.warnings


def test_a_question_pasted_after_a_long_passage_is_read_from_its_end(answerer):
    passage = "本年度我们认真贯彻落实条例要求，进一步加强政务公开工作。" * 40  # 1 120 characters of narrative
    answer = answerer.answer(passage + "请问桥头胡2020年收到多少申请？")
    assert answer.value == 18
    assert any("只读了其中的问题" in w and "桥头胡2020年收到多少申请" in w for w in answer.warnings)


def test_a_question_written_before_a_long_passage_is_read_from_the_start(answerer):
    passage = "本年度我们认真贯彻落实条例要求，进一步加强政务公开工作。" * 40
    assert answerer.answer("桥头胡街道2020年收到多少申请？" + passage).value == 18


@pytest.mark.parametrize("question", ["😊桥头胡2020年收到多少申请", "👍桥头胡2020年收到多少申请？🙏", "桥头胡2020年收到多少申请❤️"])
def test_emoji_around_a_question_change_nothing(answerer, question):
    assert answerer.answer(question).value == 18


@pytest.mark.parametrize("question", ["那2022年呢？", "那桥头胡街道呢", "桥头胡2020年呢"])
def test_a_follow_up_says_each_question_must_be_whole(answerer, question):
    answer = answerer.answer(question)
    assert (answer.kind, answer.value) == ("none", None)
    assert "不会记住上一个问题" in answer.answer and "收到多少申请" in answer.answer


def test_non_string_question_is_calm(answerer):
    answer = answerer.answer(None)  # type: ignore[arg-type]
    assert (answer.kind, answer.value) == ("none", None)


def test_slip_in_a_name_is_answered_with_a_warning(answerer):
    answer = answerer.answer("桥头湖街道2020年收到多少申请")
    assert (answer.org, answer.value) == ("桥头胡街道", 18)
    assert any("桥头胡街道" in w and "不完全相同" in w for w in answer.warnings)


def test_a_different_short_name_is_not_a_slip(answerer):
    answer = answerer.answer("西柳街道2020年收到多少申请")
    assert (answer.kind, answer.value) == ("none", None)


def test_answer_to_json_keeps_whole_numbers_whole(answerer):
    data = answerer.answer("桥头胡2020年收到多少申请").to_json()
    assert data["value"] == 18 and isinstance(data["value"], int)
    assert data["citations"][0]["org"] == "桥头胡街道"


def test_no_database_says_run_ingest(tmp_path):
    config = load_config(write_config(tmp_path / "empty"))
    service = Answerer(config)
    assert not service.ready
    assert any("python -m ingest" in notice for notice in service.notices)
    answer = service.answer("桥头胡2020年收到多少申请")
    assert (answer.kind, answer.value) == ("none", None)
    assert "python -m ingest" in answer.answer
    assert not config.paths.database.exists()  # asking did not create a store


def test_without_a_dense_index_the_mode_is_bm25_and_says_why(store_config):
    service = Answerer(load_config(store_config))  # dense wanted, none built
    try:
        assert service.mode == "bm25"
        assert any("python -m index build" in notice for notice in service.notices)
        assert "重视程度有待提高" in service.answer("东柳街道2020年政府信息公开工作存在哪些问题").answer
    finally:
        service.close()


def test_answers_from_several_threads(answerer):
    from concurrent.futures import ThreadPoolExecutor

    questions = ["桥头胡2020年收到多少申请", "柴桥2019年政府集中采购总金额", "东柳街道2020年政府信息公开工作存在哪些问题"] * 4
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(answerer.answer, questions))
    assert [a.value for a in answers[:2]] == [18, 245]
    assert all(a.kind in ("numeric", "narrative") for a in answers)


@pytest.mark.parametrize("question, percent, part, whole", [
    ("桥头胡2020年予以公开的比例是多少", 27.27, "予以公开的申请3件", "11件"),  # 表三 （一）3 of （七）总计 11
    ("桥头胡街道2020年予以公开的申请占百分之几", 27.27, "予以公开的申请3件", "11件"),
    ("桥头胡2020年自然人申请占比多少", 100, "自然人提出的18件", "18件"),  # 本年新收: 自然人 18 of 总计 18
])
def test_a_share_is_computed_from_two_cells_and_says_so(answerer, question, percent, part, whole):
    answer = answerer.answer(question)
    assert (answer.kind, answer.value, answer.unit) == ("numeric", percent, "%")
    assert part in answer.answer and whole in answer.answer and "算出的" in answer.answer
    assert len(answer.citations) >= 1


def test_a_share_with_no_whole_or_over_many_reports_gives_no_number(answerer):
    answer = answerer.answer("桥头胡2020年规范性文件占比")  # table 二 has no total to divide by
    assert answer.value is None and "无法算出比例" in answer.answer
    answer = answerer.answer("2020年各街道收到申请的比例")
    assert (answer.kind, answer.value) == ("none", None) and "一个机关和一个年份" in answer.answer


def test_a_place_before_a_body_whose_name_has_none_is_checked_against_its_text(answerer):
    # 桥头胡街道's report names no district in its name; its text does not mention 海淀 either
    answer = answerer.answer("海淀区桥头胡街道2020年收到多少申请")
    assert (answer.kind, answer.value) == ("none", None)
    assert "没有写到海淀区" in answer.answer
    assert answer.suggestions and answer.suggestions[0][0] == "桥头胡街道" and "海淀" not in answer.suggestions[0][1]


@pytest.mark.parametrize("question", ["桥头胡2020年没有予以公开的申请有多少", "桥头胡街道2020年没有被予以公开的申请有几件",
                                      "桥头胡2020年除了予以公开以外的申请有多少"])
def test_a_negated_row_is_not_answered_with_the_row(answerer, question):
    answer = answerer.answer(question)
    assert (answer.kind, answer.value) == ("none", None)
    assert "不替您推算" in answer.answer
    assert "予以公开的申请3件" in answer.answer and "11件" in answer.answer  # the cells asked about, and their whole


def test_a_question_ending_in_meiyou_is_a_yes_or_no_question(answerer):
    assert answerer.answer("桥头胡2020年收到过申请没有").value == 18


def test_some_reasons_of_a_group_are_not_named_as_the_group(answerer):
    answer = answerer.answer("桥头胡2020年属于国家秘密和保护第三方合法权益的一共多少件")
    assert answer.value == 0
    assert answer.answer.startswith("桥头胡街道2020年不予公开的申请中，属于国家秘密和保护第三方合法权益的合计0件")


@pytest.mark.parametrize("question", ["桥头胡2020年比2019年收到的申请增加了多少", "桥头胡2020年收到的申请比上年减少了多少"])
def test_a_difference_with_one_year_held_gives_no_number(answerer, question):
    answer = answerer.answer(question)  # 桥头胡街道 is held for 2020 only
    assert answer.value is None, answer.answer
    assert "2019" in " ".join((answer.answer,) + answer.warnings)


@pytest.mark.parametrize("question, percent", [
    # 桥头胡 2020, 表三: 本年新收 自然人 18 of 18; （一）予以公开 自然人 3, 总计 3; （七）总计 自然人 11, 总计 11
    ("桥头胡2020年予以公开的申请中自然人占比", 100),  # 自然人 within 予以公开: 3 of 3
    ("桥头胡2020年自然人申请中予以公开的占比", 27.27),  # 予以公开 within 自然人's handled requests: 3 of 11
    ("桥头胡2020年自然人申请占全部办理结果的比例", 100),  # the results total's 自然人 column: 11 of 11
])
def test_a_share_is_of_the_whole_the_question_names(answerer, question, percent):
    assert answerer.answer(question).value == percent


def test_a_share_of_a_whole_the_template_does_not_add_up_to_is_not_computed(answerer):
    answer = answerer.answer("桥头胡2020年予以公开的申请占申请总数的比例")  # 申请总数: 本年新收? 新收+结转?
    assert answer.value is None


@pytest.mark.parametrize("question, summed", [
    ("桥头胡街道2020年收到的申请和予以公开的申请分别多少", False),  # 18 and 3: each
    ("桥头胡街道2020年收到的申请和予以公开的申请合计多少", False),  # 新收 + 予以公开 adds up to nothing
    ("桥头胡2020年予以公开和部分公开分别多少件，合计多少", True),  # 3 + 2
])
def test_rows_are_summed_only_where_the_sum_means_something(answerer, question, summed):
    answer = answerer.answer(question)
    assert answer.value == (5 if summed else None), answer.answer
    if not summed:
        assert "18件" in answer.answer and "3件" in answer.answer


def test_a_range_of_years_is_every_year_in_it_and_a_year_not_held_leaves_the_total_unknown(answerer):
    from index.question import _years

    assert _years("2019年到2022年") == (2019, 2020, 2021, 2022) and _years("2019-2021年") == (2019, 2020, 2021)
    answer = answerer.answer("桥头胡街道2019年到2020年一共收到多少申请")  # held for 2020 only
    assert answer.value is None and "2019年" in answer.answer


def test_a_yes_or_no_question_with_meiyou_is_answered_with_the_count(answerer):
    assert answerer.answer("桥头胡2020年没有收到申请吗").value == 18


@pytest.mark.parametrize("question, value", [
    # 桥头胡 2020, 表三: 本年新收 自然人 18, 商业企业 0; （一）予以公开 3, （二）部分公开 2; （七）总计 11
    ("桥头胡2020年自然人比商业企业多申请了几件", 18),
    ("桥头胡2020年予以公开比部分公开多几件", 1),
    ("桥头胡2020年予以公开和部分公开相差多少", 1),
    ("桥头胡2020年新收申请比办结的多几件", 7),
])
def test_two_numbers_of_one_report_asked_against_each_other_give_their_difference(answerer, question, value):
    answer = answerer.answer(question)
    assert answer.value == value, answer.answer
    assert "前者比后者多" in answer.answer


def test_an_open_range_of_years_is_the_years_held_in_it(answerer):
    from index.question import _span

    assert _span("2019年以来") == (2019, None) and _span("2021年之后") == (2022, None)
    assert _span("2023年以前") == (None, 2022) and _span("2023年") is None
    assert answerer.answer("桥头胡街道2019年以来一共收到多少申请").value == 18  # 2020 is the year held


@pytest.mark.parametrize("question", ["2019年，我们街道收到过20件申请。桥头胡2020年收到多少申请？",
                                      "我看了2019年的报告，桥头胡2020年收到多少申请？"])
def test_a_statement_before_the_question_lends_it_no_year(answerer, question):
    assert answerer.answer(question).value == 18
