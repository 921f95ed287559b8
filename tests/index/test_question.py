"""Question understanding over the bodies of the sample store: year, body, measure, applicant column, operation."""
from __future__ import annotations

import pytest

from index.question import MAX_QUESTION_CHARS, normalize_question, parse_question

WITHHELD = tuple(f"withheld.{key}" for key in (
    "state_secret", "prohibited_by_law", "three_safeties", "third_party",
    "internal_affairs", "process_info", "enforcement_files", "query_matters"))


@pytest.fixture
def parse(gazetteer):
    return lambda question: parse_question(question, gazetteer)


@pytest.mark.parametrize("question", ["桥头胡2020收到多少申请", "桥头胡2020年收到多少申请",
                                      "桥头胡二〇二〇年收到多少申请", "桥头胡二○二○年收到多少申请", "桥头胡20年收到多少申请"])
def test_year_forms(parse, question):
    assert parse(question).years == (2020,)


def test_no_year_and_two_years(parse):
    assert parse("桥头胡收到多少申请").years == ()
    assert parse("柴桥2019年和2020年收到多少申请").years == (2019, 2020)


def test_digits_that_are_not_years(parse):
    assert parse("东柳街道联系电话55002786是多少").years == ()


@pytest.mark.parametrize("question, body", [
    ("桥头胡2020年收到多少申请", "桥头胡街道"),
    ("桥头胡街道2020年收到多少申请", "桥头胡街道"),
    ("王家2019年收到多少申请", "王家街道"),
    ("重庆市渝北区人民政府王家街道办事处2019年收到多少申请", "王家街道"),
    ("左家庄街道办事处2019年收到多少申请", "左家庄街道"),
    ("柴桥街道办事处2019年收到多少申请", "柴桥街道"),
    ("東柳街道2020年收到多少申請", "东柳街道"),
    ("橋頭胡2020年收到多少申請", "桥头胡街道"),
])
def test_bodies_by_full_short_and_traditional_forms(parse, question, body):
    query = parse(question)
    assert query.bodies == (body,)
    assert query.fuzzy == ()
    assert query.unknown_body is None


def test_two_bodies(parse):
    assert parse("对比柴桥和左家庄2019年收到的申请").bodies == ("柴桥街道", "左家庄街道")


@pytest.mark.parametrize("question, body", [("桥头湖街道2020年收到多少申请", "桥头胡街道"),
                                            ("左家桩街道2019年收到多少申请", "左家庄街道")])
def test_one_character_slip_is_matched_as_fuzzy(parse, question, body):
    query = parse(question)
    assert query.bodies == (body,)
    assert query.fuzzy == (body,)


def test_unknown_body_is_kept_as_a_mention(parse):
    query = parse("朝阳门街道2020年收到多少申请")
    assert query.bodies == ()
    assert query.unknown_body == "朝阳门街道"


@pytest.mark.parametrize("question, table, rows", [
    ("桥头胡2020年收到多少申请", "三", ("new_received",)),
    ("桥头胡2020年新收了几件申请", "三", ("new_received",)),
    ("桥头胡2020年受理申请数量", "三", ("new_received",)),
    ("桥头胡2020年予以公开了多少件", "三", ("disclosed",)),
    ("桥头胡2020年部分公开的申请有几件", "三", ("partially_disclosed",)),
    ("桥头胡2020年不予公开多少件", "三", WITHHELD),
    ("桥头胡2020年无法提供的有多少", "三", ("unavailable.not_held", "unavailable.needs_creation",
                                         "unavailable.still_unclear")),
    ("桥头胡2020年不予处理多少件", "三", ("not_processed.petition", "not_processed.repeated",
                                        "not_processed.publications", "not_processed.excessive",
                                        "not_processed.confirmation")),
    ("桥头胡2020年上年结转多少件", "三", ("carried_over",)),
    ("桥头胡2020年结转下年度继续办理多少件", "三", ("carried_forward",)),
    ("桥头胡2020年信访举报投诉类申请有几件", "三", ("not_processed.petition",)),
    ("左家庄2019年本机关不掌握的有几件", "三", ("unavailable.not_held",)),
    ("桥头胡2020年行政复议多少件", "四", ("review",)),
    ("桥头胡2020年行政诉讼多少件", "四", ("litigation_direct", "litigation_after_review")),
    ("桥头胡2020年未经复议直接起诉几件", "四", ("litigation_direct",)),
])
def test_measures_of_tables_three_and_four(parse, question, table, rows):
    measure = parse(question).measure
    assert measure is not None
    assert (measure.table, measure.rows) == (table, rows)


@pytest.mark.parametrize("question, row, column", [
    ("王家街道2019年行政许可处理决定数量是多少", "licensing", "decisions"),
    ("王家2019年行政许可本年增减多少", "licensing", "change"),
    ("桥头胡2020年政府集中采购项目数量", "procurement", "items"),
    ("柴桥街道2019年政府集中采购总金额是多少", "procurement", "amount"),
    ("柴桥2019年采购金额", "procurement", "amount"),
    ("王家街道2019年规范性文件本年新制作数量", "normative_documents", "made"),
])
def test_measures_of_table_two(parse, question, row, column):
    measure = parse(question).measure
    assert measure is not None
    assert (measure.table, measure.rows, measure.column) == ("二", (row,), column)


def test_money_columns_take_the_reports_unit_and_counts_their_own(parse):
    assert parse("柴桥2019年采购金额").measure.unit is None
    assert parse("柴桥2019年采购项目数量").measure.unit == "个"


@pytest.mark.parametrize("question, column", [
    ("柴桥2019年自然人申请了几件", "natural_person"),
    ("桥头胡2020年商业企业申请多少", "commercial"),
    ("桥头胡街道2020年法人或其他组织提出了多少申请", "legal_persons"),
    ("桥头胡2020年收到多少申请", None),
    ("桥头胡2020年来自企业的申请有多少", "commercial"),
])
def test_applicant_columns(parse, question, column):
    query = parse(question)
    assert query.column == column and not query.leftover


@pytest.mark.parametrize("question, operation, top", [
    ("2020年各街道一共收到多少申请", "sum", None),
    ("2020年收到的申请合计多少", "sum", None),
    ("2019年哪个街道收到的申请最多", "max", None),
    ("2019年哪个街道收到的申请最少", "min", None),
    ("2019年各街道收到申请的排名", "rank", None),
    ("2019年收到申请前三的街道", "rank", 3),
    ("2019年收到申请前两名", "rank", 2),
    ("对比柴桥和王家收到的申请", "compare", None),
    ("东柳街道比桥头胡街道2020年多收几件申请", "compare", None),
    ("王家历年收到的申请", "trend", None),
    ("王家收到申请的变化", "trend", None),
    ("桥头胡2020年收到多少申请", "value", None),
])
def test_operations(parse, question, operation, top):
    query = parse(question)
    assert (query.operation, query.top) == (operation, top)


def test_scope_of_each_street(parse):
    assert parse("2020年各街道一共收到多少申请").scope == "街道"
    assert parse("2019年哪个街道收到的申请最多").scope == "街道"


@pytest.mark.parametrize("question, section", [
    ("东柳街道2020年政府信息公开工作存在哪些问题", "problems"),
    ("桥头胡街道有哪些改进措施", "measures"),
    ("柴桥街道通过哪些新媒体公开信息", "channels"),
    ("东柳街道办事处的联系电话是多少", "contact"),
])
def test_narrative_questions_point_at_a_section_and_no_measure(parse, question, section):
    query = parse(question)
    assert query.section == section
    assert query.measure is None


@pytest.mark.parametrize("question", ["今天天气怎么样", "😀😀😀", "？！。，、……"])
def test_out_of_scope(parse, question):
    assert parse(question).in_scope is False


def test_normalize_question():
    assert normalize_question(" 橋頭胡 2020 年\t收到多少申請？ ") == "桥头胡2020年收到多少申请?"
    assert normalize_question("ＡＢＣ１２３") == "ABC123"  # full-width to half-width
    assert normalize_question("") == ""
    assert len(normalize_question("问" * 5000)) == MAX_QUESTION_CHARS
    # of a long text, the questions at its end
    assert normalize_question("一。" * 300 + "桥头胡收到多少申请？") == "桥头胡收到多少申请?"
    assert normalize_question("一。" * 300 + "桥头胡收到多少申请？予以公开几件？") == "桥头胡收到多少申请?予以公开几件?"
    assert normalize_question("👍桥头胡❤️收到多少申请？🙏") == "桥头胡收到多少申请?"
    assert normalize_question("桥头胡二○一九年收到多少申请") == "桥头胡二○一九年收到多少申请"  # ○ is a zero, not an emoji


def test_a_bare_verb_before_the_object_is_its_row(parse):
    query = parse("东柳街道比桥头胡街道2020年多收几件申请")  # 多收: received more
    assert query.measure is not None and query.measure.rows == ("new_received",) and not query.leftover


def test_two_rows_joined_with_their_object_between_are_both_asked(parse):
    query = parse("桥头胡2020年收到的申请和上年结转的合计")
    assert query.measure is not None and set(query.measure.rows) == {"new_received", "carried_over"}
    query = parse("桥头胡2020年收到的申请中予以公开多少")  # what was received is the context of an outcome
    assert query.measure is not None and query.measure.rows == ("disclosed",)


@pytest.mark.parametrize("question", ["柴桥2020年比2019年申请数量增加了多少", "柴桥2020年收到的申请比2019年减少了几件"])
def test_increase_words_ask_for_a_difference(parse, question):
    query = parse(question)
    assert query.difference and sorted(query.years) == [2019, 2020] and not query.leftover
    assert query.measure is not None and query.measure.rows == ("new_received",)


@pytest.mark.parametrize("question, rows, column", [
    ("桥头胡2020年其他组织申请了几件", ("new_received",), "other_org"),
    ("桥头胡2020年一共处理了多少申请", ("total",), None),  # 处理了: the row, not also table 二's column
    ("桥头胡2020年有多少申请没办完结转到明年", ("carried_forward",), None),
    ("桥头胡2020年属于三类内部事务的有几件", ("withheld.internal_affairs",), None),
])
def test_more_ways_of_naming_rows_and_columns(parse, question, rows, column):
    query = parse(question)
    assert query.measure is not None and query.measure.rows == rows and query.column == column
    assert not query.leftover


def test_the_templates_own_words_for_a_body_are_no_scope(parse):
    query = parse("桥头胡2020年本机关不掌握和没有现成信息合计")
    assert query.bodies == ("桥头胡街道",) and query.scope is None and query.place is None


def test_a_word_after_a_name_like_run_is_not_a_name(parse):
    assert parse("桥头胡2020年需要办理的申请总数").unknown_body is None  # 需要|办理, not a body 需要办


def test_a_share_of_the_results_total_is_read_and_of_another_whole_is_not(parse):
    query = parse("桥头胡2020年予以公开占全部办理结果的比例是多少")
    assert query.share and query.measure is not None and query.measure.rows == ("disclosed",) and not query.leftover
    query = parse("桥头胡2020年予以公开占新收申请的比例")  # a whole the computed share would not be of
    assert query.measure is None and query.leftover


@pytest.mark.parametrize("question", ["桥头胡2020年予以公开率是多少", "桥头胡2020年行政复议纠错率"])
def test_a_rate_of_a_row_is_its_share(parse, question):
    query = parse(question)
    assert query.share and query.measure is not None and not query.leftover
