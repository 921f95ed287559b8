"""Questions as staff, journalists and citizens phrase them, over the four real reports and the five samples.

Every expected value was read from the report files themselves (tests/fixtures/real, data/reports), never from
the program's output; the comment beside a case says where. None of these questions repeats the gold files.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from index.service import Answerer
from ingest.cli import main as ingest_main
from ingest.config import load_config
from tests.conftest import ROOT

SAMPLES = ROOT / "data" / "reports"
REAL = ROOT / "tests" / "fixtures" / "real"

# (body as the parser names it, year, file)
FAGAIJU = ("沭阳县发展和改革局", 2023, "2023_shuyang_fagaiju.html")
KEWEI = ("上海市科委", 2024, "2024_shanghai_kewei.txt")
BANGONGTING = ("上海市人民政府办公厅", 2025, "2025_shanghai_shizhengfu_bangongting.txt")
XIAN = ("沐阳县人民政府", 2025, "2025_shuyang_xian_zhengfu.txt")  # the OCR text spells 沐阳
CHAIQIAO = ("柴桥街道", 2019, "000_347932a4624689b5.txt")
DONGLIU = ("东柳街道", 2020, "001_785ebbaa410aaa3a.txt")
QIAOTOUHU = ("桥头胡街道", 2020, "002_c98c7a4ac036b6ca.txt")
WANGJIA = ("王家街道", 2019, "003_faf2576bdefa9143.txt")
ZUOJIAZHUANG = ("左家庄街道", 2019, "004_94c0c8a1a4856154.txt")


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Answerer:
    """One store holding all nine reports (samples and real ones), answered with BM25 only."""
    folder = tmp_path_factory.mktemp("paraphrases")
    config = folder / "config.toml"
    config.write_text(f'[paths]\nreports = "reports"\ndatabase = "db.sqlite"\nindex = "idx"\n',
                      encoding="utf-8")
    assert ingest_main(["--config", str(config), "--no-index", "--quiet", str(SAMPLES), str(REAL)]) == 0
    answerer = Answerer(load_config(config), dense=False)
    yield answerer
    answerer.close()


def _cites(answer, report) -> bool:
    body, year, file = report
    return any(c.org == body and c.year == year and Path(c.file).name == file for c in answer.citations)


def assert_number(answer, report, value, unit=None) -> None:
    body, year, _ = report
    assert answer.kind == "numeric", answer.answer
    assert answer.value == pytest.approx(value), answer.answer
    assert (answer.org, answer.year) == (body, year), answer.answer
    assert _cites(answer, report), answer.citations
    if unit is not None:
        assert answer.unit == unit, answer.answer


def assert_not_found(answer) -> None:
    """Said plainly, and no number: no value, no table citation."""
    assert answer.kind == "none", answer.answer
    assert answer.value is None
    assert not answer.citations, answer.citations
    assert "没有" in answer.answer, answer.answer


# --- how many applications were received (row 一, 本年新收) -------------------------------------------------
@pytest.mark.parametrize("question, report, value", [
    # HTML 表三 row 一: 自然人 26, 总计 26
    ("沭阳县发改局2023年度申请量是多少", FAGAIJU, 26),
    ("沭阳发改局23年收到了多少信息公开申请", FAGAIJU, 26),
    # kewei 表三 row 一: 32 + 2 = 34
    ("市科委24年度政府信息公开申请数有多少", KEWEI, 34),
    ("上海市科学技术委员会二〇二四年受理的公开申请有几件", KEWEI, 34),
    ("上海科委2024年一共收到多少件信息公开申请", KEWEI, 34),
    # bangongting 表三 row 一: 1259 + 36 = 1295
    ("市政府办公厅2025年依申请公开的申请件数", BANGONGTING, 1295),
    # xian 表三 row 一: 705 + 3 + 5 = 713 (the narrative's 受理 749 adds 上年结转 36)
    ("沭阳县政府2025年一共收到多少件政府信息公开申请", XIAN, 713),
    ("沐阳县人民政府25年度申请件数是多少", XIAN, 713),
    # samples
    ("桥头胡街道办2020年受理了多少件信息公开申请", QIAOTOUHU, 18),
    ("柴桥街道办事处19年收到几件申请", CHAIQIAO, 2),
    ("左家庄2019年度共收到政府信息公开申请多少件", ZUOJIAZHUANG, 3),
])
def test_applications_received_phrasings(service, question, report, value):
    assert_number(service.answer(question), report, value)


def test_received_mentions_carried_over_when_not_zero(service):
    answer = service.answer("沭阳县政府2025年一共收到多少件政府信息公开申请")
    assert_number(answer, XIAN, 713)
    assert "36" in answer.answer and "上年结转" in answer.answer  # 表三 row 二 总计 36


def test_no_year_answers_from_the_report_held_and_names_its_year(service):
    answer = service.answer("市科委收到多少申请")
    assert_number(answer, KEWEI, 34)
    assert "2024年" in answer.answer


# --- disclosed: 公开了多少 / 全部公开 / 同意公开 (row （一）予以公开) -------------------------------------------
@pytest.mark.parametrize("question, report, value", [
    ("沭阳县发改局2023年同意公开了多少件", FAGAIJU, 26),  # 予以公开 26
    ("上海市科委2024年全部公开的申请有多少", KEWEI, 9),  # 予以公开 9; narrative: 同意公开答复 9 件
    ("上海市政府办公厅2025年公开了多少件申请", BANGONGTING, 206),  # 予以公开 201 + 5
    ("沭阳县政府25年全部公开的有多少件", XIAN, 294),  # 予以公开 290 + 1 + 3
    ("桥头胡2020年同意公开几件", QIAOTOUHU, 3),
])
def test_disclosed_phrasings(service, question, report, value):
    assert_number(service.answer(question), report, value)


# --- withheld, by reason (（三）不予公开 sub-rows) and as a group ------------------------------------------------
@pytest.mark.parametrize("question, report, value", [
    ("上海市政府办公厅2025年因属于国家秘密不予公开的有几件", BANGONGTING, 4),
    ("沭阳县政府2025年因危及三安全一稳定不予公开多少件", XIAN, 2),
    ("上海市科委2024年属于内部事务信息不予公开的有几件", KEWEI, 1),  # the '| 1 |…| 1 |' row under 5.
    ("上海市政府办公厅2025年三类内部事务信息不予公开几件", BANGONGTING, 9),  # 8 + 1 (法律服务机构)
    ("沭阳县人民政府2025年行政执法案卷不予公开几件", XIAN, 4),
    ("上海市政府办公厅2025年行政查询事项不予公开多少", BANGONGTING, 5),
    ("沭阳县政府2025年过程性信息不予公开几件", XIAN, 2),
    ("上海市政府办公厅2025年涉及第三方合法权益不公开的几件", BANGONGTING, 0),
    ("沭阳县发改局2023年不公开的申请有多少件", FAGAIJU, 0),  # all eight sub-rows 0
    ("桥头胡街道2020年国家秘密不予公开几件", QIAOTOUHU, 0),
])
def test_withheld_by_reason(service, question, report, value):
    assert_number(service.answer(question), report, value)


# --- other outcomes -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("question, report, value", [
    ("上海市政府办公厅2025年无法提供的有多少件", BANGONGTING, 564),  # 513 + 48 + 3; narrative 564
    ("上海市政府办公厅2025年不予处理的申请一共多少件", BANGONGTING, 80),  # 62+16+1+1+0; narrative 80
    ("上海市科委2024年申请人逾期不补正的有几件", KEWEI, 10),  # 8 + 2
    ("沭阳县政府2025年其他处理多少件", XIAN, 159),  # 9 + 7 + 143
    ("沭阳县政府2025年一共办结了多少件申请", XIAN, 718),  # （七）总计; narrative 共办理 718 件
    ("上海市政府办公厅2025年去年结转过来的申请有多少", BANGONGTING, 189),
])
def test_other_outcomes(service, question, report, value):
    assert_number(service.answer(question), report, value)


# --- carried forward to next year (row 四) ----------------------------------------------------------------------
@pytest.mark.parametrize("question, report, value", [
    ("上海市政府办公厅2025年有多少申请结转到下一年", BANGONGTING, 293),
    ("沭阳县政府2025年转入下一年度继续办理的有几件", XIAN, 31),  # narrative: 结转下一年 31 件
    ("桥头胡2020年结转到下一年的申请有几件", QIAOTOUHU, 7),
    ("上海市政府办公厅2025年转下一年度办理的申请有几件", BANGONGTING, 293),
    ("桥头胡街道2020年还有多少申请没办完", QIAOTOUHU, 7),
])
def test_carried_forward_phrasings(service, question, report, value):
    assert_number(service.answer(question), report, value)


# --- applicant columns: 自然人 vs 法人或其他组织 ---------------------------------------------------------------------
@pytest.mark.parametrize("question, report, value", [
    ("上海市科委2024年自然人提出了多少件申请", KEWEI, 32),
    ("上海市科委2024年法人或其他组织提出的申请有多少", KEWEI, 2),  # 商业企业 2
    ("上海市政府办公厅2025年企业申请了多少件", BANGONGTING, 36),  # 商业企业 36
    ("上海市政府办公厅2025年上年结转的申请中法人或其他组织有几件", BANGONGTING, 19),  # 15 + 4 (法律服务机构)
    ("沭阳县政府2025年律师事务所等法律服务机构申请多少件", XIAN, 5),
    ("沭阳县政府2025年群众个人申请了多少件", XIAN, 705),
    ("桥头胡2020年公民个人申请了几件", QIAOTOUHU, 18),
])
def test_applicant_columns(service, question, report, value):
    assert_number(service.answer(question), report, value)


def test_carried_forward_with_blank_total_cell(service):
    # the 总计 cell of row 四 is empty in the source; 自然人 1 and 0 in the five other columns
    answer = service.answer("上海市科委2024年结转下年度继续办理的有几件")
    assert_number(answer, KEWEI, 1)
    assert "总计一栏未填写" in answer.answer and "六列之和" in answer.answer


def test_blank_organisation_columns_are_not_zero(service):
    # the 发改局 HTML leaves all five 法人或其他组织 cells of row 一 empty (自然人 26 = 总计 26)
    answer = service.answer("沭阳县发改局2023年法人或其他组织申请了多少件")
    assert answer.kind == "numeric" and answer.org == FAGAIJU[0]
    assert answer.value is None, answer.answer
    assert "未填写" in answer.answer


def test_blank_review_group_is_not_zero(service):
    # 左家庄 table 四: the five 行政复议 cells are empty, only the ten 行政诉讼 cells read 0
    answer = service.answer("左家庄街道2019年行政复议有几件")
    assert answer.kind == "numeric" and answer.org == ZUOJIAZHUANG[0]
    assert answer.value is None, answer.answer
    assert "未填写" in answer.answer


# --- administrative review corrected, litigation lost ------------------------------------------------------------
@pytest.mark.parametrize("question, report, value", [
    ("沭阳县政府2025年行政诉讼被纠正几件", XIAN, 0),  # 结果纠正 0 + 0
    ("沭阳县政府2025年行政复议维持原决定的有几件", XIAN, 27),
    ("上海市政府办公厅2025年行政复议尚未审结的有几件", BANGONGTING, 5),
    ("上海市政府办公厅2025年复议后起诉的案件有多少", BANGONGTING, 22),
    ("上海市政府办公厅2025年未经复议直接提起诉讼多少件", BANGONGTING, 12),
    ("市科委2024年行政诉讼有几件", KEWEI, 0),  # narrative: 涉及的行政诉讼数为 0 件
    ("沭阳县政府2025年行政复议被纠错几件", XIAN, 10),
    ("上海市科委2024年行政复议被纠错了几件", KEWEI, 0),
    ("上海市政府办公厅2025年行政诉讼败诉了多少件", BANGONGTING, 0),
    ("桥头胡街道2020年行政诉讼败诉几件", QIAOTOUHU, 0),
])
def test_review_and_litigation_outcomes(service, question, report, value):
    assert_number(service.answer(question), report, value)


# --- table 二: fees, normative documents, licensing and penalties -------------------------------------------------
@pytest.mark.parametrize("question, report, value, unit", [
    ("沭阳县政府2025年行政事业性收费收了多少钱", XIAN, 4068.208, "万元"),  # header: 本年收费金额（单位：万元）
    ("上海市科委2024年行政事业性收费金额是多少", KEWEI, 0, "万元"),
    ("沭阳县发改局2023年收费金额多少", FAGAIJU, 0, "万元"),
])
def test_fee_amounts(service, question, report, value, unit):
    assert_number(service.answer(question), report, value, unit)


@pytest.mark.parametrize("question, report, value", [
    ("上海市科委2024年制发了多少件规范性文件", KEWEI, 13),
    ("市科委2024年现行有效的规范性文件有几件", KEWEI, 55),
    ("沭阳县政府2025年废止了几件规范性文件", XIAN, 1),
    ("沭阳县发改局2023年度印发规范性文件几件", FAGAIJU, 8),
    ("王家街道2019年新公开的规范性文件有几件", WANGJIA, 1),  # 2019 format: 本年新公开数量
    ("王家街道2019年规范性文件对外公开总数量", WANGJIA, 1),
    ("上海市科委2024年主动公开了多少件规范性文件", KEWEI, 13),
    ("上海市科委2024年主动公开的规范性文件现行有效多少件", KEWEI, 55),  # | 规范性文件 | 13 | 0 | 55 |
    ("上海市科委2024年主动公开的规范性文件废止了多少件", KEWEI, 0),
])
def test_normative_documents(service, question, report, value):
    assert_number(service.answer(question), report, value)


def test_cell_that_cannot_be_read_is_unknown_and_the_text_that_states_it_is_quoted(service):
    # the extracted row "| 行政规范性文件 | 34 | 189 |" lost one of its three cells (stored unknown); section 一
    # states "市政府及市政府办公厅行政规范性文件 34 件"
    answer = service.answer("上海市政府办公厅2025年印发行政规范性文件多少件")
    assert answer.kind == "numeric" and answer.value is None, answer.answer
    assert "无法确定" in answer.answer
    assert "“全年主动公开市政府规章 22 件、市政府及市政府办公厅行政规范性文件 34 件" in answer.answer
    assert any(c.section.startswith("一、总体情况") and "行政规范性文件 34 件" in c.text for c in answer.citations)


@pytest.mark.parametrize("question, report, value", [
    ("沭阳县政府2025年行政处罚决定有多少", XIAN, 693957),
    ("沭阳县政府2025年行政强制多少件", XIAN, 2154),
    ("东柳街道2020年行政处罚本年增加了多少", DONGLIU, 10),  # 上一年 14, 增/减 10, 处理决定 4
    ("王家街道2019年其他对外管理服务事项上一年有多少项", WANGJIA, 128),
])
def test_licensing_and_penalties(service, question, report, value):
    assert_number(service.answer(question), report, value)


# --- narrative ----------------------------------------------------------------------------------------------------
def assert_quotes(answer, report, phrases) -> None:
    body, year, _ = report
    assert answer.kind == "narrative", answer.answer
    assert (answer.org, answer.year) == (body, year), answer.answer
    assert _cites(answer, report), answer.citations
    assert any(p in answer.answer for p in phrases), answer.answer


@pytest.mark.parametrize("question, report, phrases", [
    ("上海市科委2024年存在的问题是什么", KEWEI, ["内设机构和职能发生较大调整"]),
    ("柴桥街道2019年政务公开有哪些短板", CHAIQIAO, ["主动公开政府信息不够丰富", "公众参与度不高"]),
    ("左家庄街道19年信息公开工作有什么不足", ZUOJIAZHUANG, ["信息发布渠道不完善", "不熟知、不熟练"]),
    ("沭阳发改局2023年信息公开工作存在什么问题", FAGAIJU, ["信息公开意识有所松懈"]),
])
def test_problems(service, question, report, phrases):
    assert_quotes(service.answer(question), report, phrases)


@pytest.mark.parametrize("question, report, phrases", [
    ("沭阳县发改局2023年度下一步打算怎么改进", FAGAIJU, ["完善主动公开信息联动机制", "进一步加强平台建设"]),
    ("东柳街道2020年下一步工作计划是什么", DONGLIU, ["进一步加强组织领导", "进一步规范信息公开服务", "进一步扩大信息公开途径"]),
    ("王家街道2019年下一步有哪些工作打算", WANGJIA, ["加强工作领导", "提升政策解读力度", "完善工作制度"]),
    ("沭阳县政府2025年下一步准备怎么改进政务公开", XIAN, ["增加解读的形式", "开展考核管理", "深化基层联动"]),
])
def test_next_steps(service, question, report, phrases):
    assert_quotes(service.answer(question), report, phrases)


@pytest.mark.parametrize("question, report, phrases", [
    ("上海市政府办公厅2025年收取信息公开处理费了吗", BANGONGTING, ["未收取信息公开处理费"]),
    ("沭阳县发改局2023年政府信息公开收费情况", FAGAIJU, ["未发生收费情况"]),
    ("上海市科委2024年信息公开处理费收费情况", KEWEI, ["未发生政府信息公开收费事项"]),
    ("沭阳县政府2025年信息公开收费情况怎么样", XIAN, ["380元"]),
])
def test_information_fees(service, question, report, phrases):
    assert_quotes(service.answer(question), report, phrases)


@pytest.mark.parametrize("question, report, phrases", [
    ("上海市政府办公厅2025年政务新媒体情况如何", BANGONGTING, ["上海发布"]),
    ("沭阳县政府2025年政务新媒体做了哪些工作", XIAN, ["政务新媒体矩阵"]),
    ("东柳街道2020年微信公众号发布了多少篇信息", DONGLIU, ["203"]),
    ("上海市科委2024年视频号发布了多少条短视频", KEWEI, ["584"]),
])
def test_new_media(service, question, report, phrases):
    assert_quotes(service.answer(question), report, phrases)


@pytest.mark.parametrize("question, report, phrases", [
    ("沭阳县发改局2023年人大建议和政协提案办理得怎么样", FAGAIJU, ["满意率为100%"]),
    ("上海市科委2024年人大代表建议和政协提案办理情况", KEWEI, ["主合办人大代表建议"]),
    ("上海市科委2024年办理了多少件人大代表建议", KEWEI, ["50"]),
])
def test_deputies_and_proposals(service, question, report, phrases):
    assert_quotes(service.answer(question), report, phrases)


@pytest.mark.parametrize("question, report, phrases", [
    ("上海市政府办公厅2025年政府信息管理方面做了哪些工作", BANGONGTING, ["公文公开属性审查"]),
    ("沭阳县发改局2023年如何加强政府信息管理", FAGAIJU, ["三级审核制度"]),
    ("东柳街道2020年政府信息管理情况", DONGLIU, ["政府信息公开指南", "先审核后公开"]),
    ("上海市科委2024年政府信息管理工作", KEWEI, ["政府信息公开指南"]),
])
def test_information_management(service, question, report, phrases):
    assert_quotes(service.answer(question), report, phrases)


# --- not found: no report for that year, no such body, no such measure --------------------------------------------
@pytest.mark.parametrize("question, held", [
    ("上海市科委2023年收到多少申请", "2024"),
    ("市政府办公厅2024年度公开了多少件", "2025"),
    ("东柳街道2019年存在哪些问题", "2020"),
    ("沭阳县发改局2025年度下一步打算", "2023"),
    ("桥头胡街道21年行政复议几件", "2020"),
])
def test_year_not_held(service, question, held):
    answer = service.answer(question)
    assert_not_found(answer)
    assert held in answer.answer  # names the year(s) it does hold


@pytest.mark.parametrize("question, report, value", [
    ("我想了解市科委2024年收到多少申请", KEWEI, 34),
    ("帮我查一下市科委2024年收到多少申请", KEWEI, 34),
    ("告诉我市科委2024年收到多少申请", KEWEI, 34),
    ("那么市科委2024年收到多少申请", KEWEI, 34),
    ("我想了解县发展和改革局2023年收到多少申请", FAGAIJU, 26),
])
def test_words_before_a_short_name_are_not_another_place(service, question, report, value):
    assert_number(service.answer(question), report, value)


@pytest.mark.parametrize("question", [
    "上海市财政局2025年收到多少申请",
    "宿迁市发改局2023年收到多少申请",
    "沭阳县教育局2023年有多少件不予公开",
    "北京市科委2024年收到多少申请",
    "杭州市政府办公厅2025年收到多少申请",
    "宿迁市发展和改革局2023年收到多少申请",
])
def test_body_not_held(service, question):
    assert_not_found(service.answer(question))


def test_short_near_miss_is_suggested_not_answered(service):
    # 沭阳县 (the county) vs the stored OCR spelling 沐阳县: too short to accept a one-character slip
    answer = service.answer("沭阳县2025年收到多少申请")
    assert_not_found(answer)
    assert "沐阳县人民政府" in answer.answer


NOT_IN_TEMPLATE = [  # no table row counts these, and no report states them
    "上海市科委2024年员工人数是多少",
    "沭阳县政府2025年财政收入是多少",
    "桥头胡街道2020年有多少名公务员",
    "左家庄街道2019年GDP是多少",
]


@pytest.mark.parametrize("question", NOT_IN_TEMPLATE)
def test_measure_not_in_template_gets_no_number(service, question):
    answer = service.answer(question)
    assert answer.kind != "numeric" and answer.value is None, answer.answer


@pytest.mark.parametrize("question", NOT_IN_TEMPLATE)
def test_measure_not_in_template_says_so(service, question):
    assert_not_found(service.answer(question))


def test_unpaid_processing_fee_reads_its_table_row(service):
    # 表三 （六）2.申请人逾期未按收费通知要求缴纳费用: 总计 7 (the row the 缴纳费用 wording already reads)
    answer = service.answer("沐阳县人民政府2025年因未缴纳信息处理费被终止处理的申请有多少件")
    assert_number(answer, XIAN, 7)


@pytest.mark.parametrize("question, phrase", [
    ("上海市科委2024年采取了哪几项改进措施", "改进"),  # 哪几 is not "how many"
    ("上海市科委2024年数字化建设情况", "上海市科委"),  # nor is 数字化
])
def test_questions_that_are_not_how_many_are_answered_from_the_text(service, question, phrase):
    answer = service.answer(question)
    assert answer.kind == "narrative" and answer.citations, answer.answer
    assert phrase in answer.answer


def test_a_number_of_another_column_is_not_quoted_beside_an_unreadable_cell(service):
    # the 规范性文件 row "34 189" lost a cell; the text's "行政规范性文件 34 件" is 本年制发, not 现行有效
    answer = service.answer("上海市人民政府办公厅2025年现行有效的规范性文件有多少件")
    assert answer.kind == "numeric" and answer.value is None
    assert "34 件" not in answer.answer and "报告正文写到" not in answer.answer


def test_a_year_is_not_the_number_a_sentence_states(service):
    # "截至 2024 年 12 月31 日，市科委通过部门网站当年发布政府信息 393 件" (section 三), not the opening's dates
    answer = service.answer("上海市科委2024年主动公开政府信息多少条")
    assert "393 件" in answer.answer.splitlines()[0]



def test_a_column_of_the_other_format_is_named_as_read(service):
    # the 2021 table 二 of the 科委 has no 本年新公开数量; its 本年制发件数 (13) is what it states
    answer = service.answer("上海市科委2024年新公开的规范性文件有几件")
    assert_number(answer, KEWEI, 13)
    assert "这份报告的表二没有“本年新公开数量”一栏，读的是对应的“本年制发件数”一栏" in answer.answer


def test_comparison_across_the_two_formats_says_which_columns_it_read(service):
    # 科委 2024 (2021 format) 现行有效件数 55; 王家 2019 (2019 format) 对外公开总数量 1
    answer = service.answer("上海市科委和王家街道现行有效的规范性文件对比")
    assert answer.kind == "aggregate"
    assert "上海市科委2024年 55件" in answer.answer and "王家街道2019年 1件" in answer.answer
    assert any("各报告读的是对应的列：上海市科委2024年 现行有效件数，王家街道2019年 对外公开总数量" in w
               for w in answer.warnings)
