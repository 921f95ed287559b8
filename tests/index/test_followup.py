"""Follow-up questions in a conversation (index.followup through Answerer.answer_in).

Expected numbers are read by eye from the report files in data/reports (表三 rows: 自然人, 商业企业 … 其他, 总计):

report                 file                       新收 (自然人 / five 法人 columns / 总计)   予以公开   采购 (项目 / 金额)
柴桥街道 2019          000_347932a4624689b5.txt   2 / blank ×5 / 2                         2          41 / 245万元
桥头胡街道 2020        002_c98c7a4ac036b6ca.txt   18 / 0 0 0 0 0 / 18                      3
王家街道 2019          003_faf2576bdefa9143.txt   0 / 0 0 0 0 0 / 0                        0          5 / 517200元
左家庄街道 2019        004_94c0c8a1a4856154.txt   3 / 0 0 0 0 0 / 3                        2          20 / 115.6096

Each sample is the only year of its body. For 和去年比 over two held years, ``two_years`` adds the 桥头胡街道 2019
report that tests/index/test_aggregates_phrasings.py writes (its 新收 row set to 10 2 0 0 0 0 12 there).
"""
from __future__ import annotations

import pytest

from index.followup import Context
from tests.index.test_aggregates_phrasings import SAMPLES, _store, _write_derived


def chat(answerer, *questions: str, context: Context | None = None):
    """Ask the questions one after another in one conversation: the answers, and the context after the last."""
    context = Context() if context is None else context
    answers = []
    for question in questions:
        answer, context = answerer.answer_in(question, context)
        answers.append(answer)
    return answers, context


def test_a_follow_up_takes_the_body_the_measure_or_the_year_it_leaves_unsaid(answerer):
    first, other, third, legal, natural = chat(
        answerer, "柴桥街道2019年收到多少申请", "王家街道呢？", "那左家庄街道呢", "按法人分呢？", "自然人呢")[0]
    assert (first.org, first.year, first.value, first.carried) == ("柴桥街道", 2019, 2, "")
    assert (other.org, other.year, other.value) == ("王家街道", 2019, 0)
    assert other.carried == "按上一问：2019年、本年新收申请"
    assert (third.org, third.year, third.value) == ("左家庄街道", 2019, 3)
    assert (legal.org, legal.year, legal.value) == ("左家庄街道", 2019, 0)
    assert "法人或其他组织" in legal.answer
    assert legal.carried == "按上一问：左家庄街道、2019年、本年新收申请"
    assert (natural.org, natural.value) == ("左家庄街道", 3)
    assert "自然人" in natural.answer


def test_a_year_not_held_is_said_and_does_not_erase_the_question_before(answerer):
    answers, context = chat(answerer, "桥头胡街道2020年收到多少申请", "那2019年呢？", "按法人分呢？", "自然人呢？")
    first, missing, legal, natural = answers
    assert first.value == 18
    assert (missing.kind, missing.value) == ("none", None)
    assert "没有找到桥头胡街道2019年的年度报告" in missing.answer
    assert missing.carried == "按上一问：桥头胡街道、本年新收申请"
    # the context is still 桥头胡街道 2020 本年新收
    assert (legal.org, legal.year, legal.value) == ("桥头胡街道", 2020, 0)
    assert (natural.org, natural.year, natural.value) == ("桥头胡街道", 2020, 18)
    assert context.query.bodies == ("桥头胡街道",) and context.year == 2020


def test_the_year_before_not_held_gives_no_difference(answerer):
    answer = chat(answerer, "王家街道2019年收到多少申请", "和去年比呢？")[0][-1]
    assert answer.value is None
    assert "2019年 0件" in answer.answer
    assert "没有找到王家街道2018年的年度报告" in "".join(answer.warnings)
    assert answer.carried == "按上一问：王家街道、本年新收申请，2019年与2018年相比"


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    """The samples and the derived reports (桥头胡街道 2019 and 2020)."""
    folder = tmp_path_factory.mktemp("followup")
    derived = folder / "derived"
    derived.mkdir()
    _write_derived(derived)
    answerer = _store(folder, SAMPLES, derived)
    yield answerer
    answerer.close()


def test_compared_with_the_year_before(two_years):
    first, before, change = chat(two_years, "桥头胡街道2020年收到多少申请", "和去年比呢？", "那2019年呢")[0]
    assert first.value == 18
    assert change.value == 12 and change.year == 2019  # 那2019年呢 after a comparison: the one year
    assert before.value == 6  # 18 − 12
    assert "2019年 12件" in before.answer and "2020年 18件" in before.answer
    assert {(c.org, c.year) for c in before.citations} == {("桥头胡街道", 2019), ("桥头胡街道", 2020)}
    assert before.carried == "按上一问：桥头胡街道、本年新收申请，2020年与2019年相比"


def test_a_question_that_names_everything_starts_afresh(answerer):
    answers, context = chat(answerer, "桥头胡街道2020年法人收到多少申请", "柴桥街道2019年予以公开几件呢",
                            "王家街道呢")
    legal, fresh, other = answers
    assert legal.value == 0 and "法人或其他组织" in legal.answer
    assert (fresh.org, fresh.value, fresh.carried) == ("柴桥街道", 2, "")
    # 王家街道呢 follows the full question: 予以公开 in the 总计 column, not the 法人 column of the one before
    assert (other.org, other.year, other.value) == ("王家街道", 2019, 0)
    assert "总计" in other.answer and "法人" not in other.answer
    assert other.carried == "按上一问：2019年、予以公开"


def test_without_a_conversation_a_follow_up_is_answered_as_today(answerer):
    today = answerer.answer("那2019年呢？")
    assert (today.kind, today.value, today.carried) == ("none", None, "")
    assert "不会记住上一个问题" in today.answer
    alone, context = answerer.answer_in("那2019年呢？", None)
    assert alone.answer == today.answer and context.query is None


def test_a_conversation_with_nothing_before_says_so(answerer):
    answer, context = answerer.answer_in("王家街道呢？", Context())
    assert (answer.kind, answer.value) == ("none", None)
    assert "还没有可以接着问的上一个问题" in answer.answer and "王家街道" in answer.answer
    assert context == Context()


@pytest.mark.parametrize("unclear", ["how about 2019?", "李家街道呢", ""])
def test_a_refused_or_unclear_question_keeps_the_context(answerer, unclear):
    answers, context = chat(answerer, "桥头胡街道2020年收到多少申请", unclear, "自然人呢")
    assert answers[1].value is None
    assert (answers[2].org, answers[2].year, answers[2].value) == ("桥头胡街道", 2020, 18)


def test_an_unknown_body_in_a_follow_up_is_not_answered_as_another(answerer):
    answer = chat(answerer, "桥头胡街道2020年收到多少申请", "李家街道呢")[0][-1]
    assert (answer.kind, answer.value) == ("none", None)
    assert "没有找到李家街道的年度报告" in answer.answer
    assert ("王家街道", "王家街道2020年收到多少申请") in answer.suggestions


def test_a_column_the_measure_does_not_have_is_refused(answerer):
    money, natural = chat(answerer, "王家街道2019年政府集中采购总金额", "自然人呢")[0]
    assert (money.value, money.unit) == (517200, "元")
    assert (natural.kind, natural.value) == ("none", None)
    assert "没有“自然人”这一栏" in natural.answer


def test_another_column_of_a_table_two_row(answerer):
    items, money = chat(answerer, "王家街道2019年采购项目多少个", "金额呢？")[0]
    assert (items.value, items.unit) == (5, "个")
    assert (money.org, money.year, money.value, money.unit) == ("王家街道", 2019, 517200, "元")
    assert money.carried == "按上一问：王家街道、2019年、政府集中采购（采购总金额）"


def test_a_ranking_is_asked_again_of_another_measure(answerer):
    most, procurement = chat(answerer, "2019年哪个街道收到的申请最多", "政府集中采购项目呢")[0]
    assert most.value == 3 and "最多的是左家庄街道" in most.answer
    assert procurement.value == 41 and "最多的是柴桥街道" in procurement.answer
    assert procurement.carried == "按上一问：各街道、2019年、最多"


def test_most_after_one_body_is_over_the_bodies_of_its_year(answerer):
    answer = chat(answerer, "柴桥街道2019年政府集中采购项目多少个", "最多的呢")[0][-1]
    assert answer.value == 41 and "最多的是柴桥街道" in answer.answer
    assert "左家庄街道 20个" in answer.answer and "王家街道 5个" in answer.answer


def test_a_text_question_is_asked_again_of_another_body_and_lends_its_body(answerer):
    text, other, count = chat(answerer, "王家街道有哪些改进措施", "那柴桥街道呢", "收到多少申请呢")[0]
    assert text.kind == "narrative" and text.org == "王家街道"
    assert other.kind == "narrative" and other.org == "柴桥街道"
    assert other.carried == "按上一问：有哪些改进措施"
    assert all(c.org == "柴桥街道" for c in other.citations)
    assert (count.org, count.year, count.value) == ("柴桥街道", 2019, 2)
    assert count.carried == "按上一问：柴桥街道"


def test_a_column_after_a_text_question_is_refused(answerer):
    answer = chat(answerer, "王家街道有哪些改进措施", "按法人分呢")[0][-1]
    assert (answer.kind, answer.value) == ("none", None)
    assert "不是表格里的数字" in answer.answer


def test_each_user_keeps_a_context_of_their_own(answerer):
    _, one = chat(answerer, "桥头胡街道2020年收到多少申请")
    _, other = chat(answerer, "王家街道2019年政府集中采购总金额")
    first, one = answerer.answer_in("自然人呢", one)
    second, other = answerer.answer_in("项目呢", other)
    assert (first.org, first.value) == ("桥头胡街道", 18)
    assert (second.org, second.value, second.unit) == ("王家街道", 5, "个")


def test_carried_is_in_the_json_answer(answerer):
    answer = chat(answerer, "柴桥街道2019年收到多少申请", "王家街道呢？")[0][-1]
    assert answer.to_json()["carried"] == "按上一问：2019年、本年新收申请"
