"""Questions over several reports (sums, largest/smallest, rankings, comparisons, trends), phrased as people ask them.

Two stores, each built once for this module:

* ``service``: the five samples in data/reports plus four reports made here from the 左家庄 sample (its
  one-row-per-line layout, a title line added, body, year and numbers changed; see ``_derive``), so that one body
  has two years (桥头胡街道 2019/2020, 柴桥街道 2019/2020) and 2020 holds two 镇 beside the 街道. The newest year
  in this store is 2020.
* ``full_service``: the five samples plus the four real reports in tests/fixtures/real (newest year 2025).

Every expected value below was computed by hand from the report files (the samples, the real reports, and the
numbers written into the derived reports here), never from the program's output; the comment beside a case says
which cells it adds. None of these questions repeats the gold files or tests/index/test_paraphrases.py.

The hand-read cells used most (表三 总计 column unless said otherwise; 复议 = 表四 行政复议 总计 (结果纠正);
诉讼 = 未经复议直接起诉 总计 + 复议后起诉 总计; 采购 = 采购项目数量 / 采购总金额):

report            新收  予以公开  部分公开  不予公开  （七）总计  复议            诉讼         采购
柴桥街道 2019     2     2         0         0         2           0 (0)           0 + 0        41 / 245万元
王家街道 2019     0     0         0         0         0           0 (0)           0 + 0        5 / 517200元
左家庄街道 2019   3     2         0         0         3           blank           0 + 0        20 / 115.6096 (万元 header)
桥头胡街道 2019*  12    7         1         1         12          2 (1)           0 + 1        15 / 60.5 (万元 header)
东柳街道 2020     无=0  无=0      无=0      blank     blank       无=0 (blank)    无 + 无      37 / 169844 (no unit)
桥头胡街道 2020   18    3         2         0         11          0 (0)           1 + 0        21 / 12.5275 (no unit)
柴桥街道 2020*    "/"   4         0         0         4           1 (1)           0 + 0        30 / 80000元
龙山镇 2020*      6     4         0         1         6           3 (2)           1 + 0        10 / 3.5 (万元 header)
凤凰镇 2020*      9     9         0         0         9           0 (0)           0 + 0        8 / 20 (万元 header)

(* made here.) 行政处罚 处理决定数量: 东柳 2020 4, 龙山镇 5, 桥头胡 2019 3, 凤凰镇 row "1234" (three cells run
together, cannot be split: unknown), every other report 0.
"""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from index.service import Answerer
from ingest.cli import main as ingest_main
from ingest.config import load_config
from tests.conftest import ROOT

SAMPLES = ROOT / "data" / "reports"
REAL = ROOT / "tests" / "fixtures" / "real"

# (body as the parser names it, year, file)
CQ19 = ("柴桥街道", 2019, "000_347932a4624689b5.txt")
DL20 = ("东柳街道", 2020, "001_785ebbaa410aaa3a.txt")
QTH20 = ("桥头胡街道", 2020, "002_c98c7a4ac036b6ca.txt")
WJ19 = ("王家街道", 2019, "003_faf2576bdefa9143.txt")
ZJZ19 = ("左家庄街道", 2019, "004_94c0c8a1a4856154.txt")
QTH19 = ("桥头胡街道", 2019, "qth2019.txt")  # made here
CQ20 = ("柴桥街道", 2020, "cq2020.txt")  # made here
LS20 = ("龙山镇", 2020, "ls2020.txt")  # made here
FH20 = ("凤凰镇", 2020, "fh2020.txt")  # made here
KEWEI24 = ("上海市科委", 2024, "2024_shanghai_kewei.txt")
FAGAIJU23 = ("沭阳县发展和改革局", 2023, "2023_shuyang_fagaiju.html")
BGT25 = ("上海市人民政府办公厅", 2025, "2025_shanghai_shizhengfu_bangongting.txt")
XIAN25 = ("沐阳县人民政府", 2025, "2025_shuyang_xian_zhengfu.txt")  # the OCR text spells 沐阳

ALL_2019 = [CQ19, WJ19, ZJZ19, QTH19]


# --- the derived reports -------------------------------------------------------------------------------------------
def _set_row(text: str, label: str, values) -> str:
    """Replace the last ``len(values)`` cells of the one line that contains ``label``."""
    lines = text.split("\n")
    hits = [i for i, line in enumerate(lines) if label in line]
    assert len(hits) == 1, (label, hits)
    fields = lines[hits[0]].rstrip("\t").split("\t")
    fields[-len(values):] = [str(v) for v in values]
    lines[hits[0]] = "\t".join(fields)
    return "\n".join(lines)


_T4_VALUES = "\t\t\t\t\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0"  # the 左家庄 table 四 row: 行政复议 blank, 行政诉讼 all 0


def _derive(body: str, year: int, *, t3: dict, t4: list, procurement: list, amount_header: str | None = None,
            punishment: list | None = None, raw: tuple = ()) -> str:
    """The 左家庄 sample with a title, another body and year, and the given rows (table 三: seven cells, 自然人 …
    其他, 总计; table 四: fifteen cells). Rows not given keep the sample's zeros; the sample's 本机关不掌握 row
    (columns 0, 总计 1) is set to all 0 so that only the numbers given here count."""
    text = (SAMPLES / ZJZ19[2]).read_text(encoding="utf-8")
    text = text.replace("左家庄街道", body).replace("左家庄", body).replace("2019", str(year))
    text = f"{body}{year}年政府信息公开工作年度报告\n" + text
    text = _set_row(text, "1. 本机关不掌握相关信息", [0] * 7)
    for label, values in t3.items():
        text = _set_row(text, label, values)
    assert text.count(_T4_VALUES) == 1
    text = text.replace(_T4_VALUES, "\t".join(str(v) for v in t4))
    text = _set_row(text, "政府集中采购", procurement)
    if amount_header is not None:
        text = text.replace("采购总金额（万元，保留四位小数）", amount_header)
    if punishment is not None:
        text = _set_row(text, "行政处罚\t", punishment)
    for old, new in raw:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _write_derived(folder: Path) -> None:
    # 桥头胡街道 2019: 新收 自然人 10 + 商业企业 2 = 12; 予以公开 5+2 = 7; 部分公开 1; 第三方 1; 不掌握 2; 信访 1;
    # 总计 10+2 = 12 (7+1+1+2+1); 结转 0. Table 四: 复议 1 1 0 0 2; 直接起诉 0…0; 复议后 0 1 0 0 1.
    # 采购 15 items, 60.5 (header 万元). 行政处罚: 上一年 1, 增减 2, 处理决定 3.
    (folder / QTH19[2]).write_text(_derive("桥头胡街道", 2019, t3={
        "一、本年新收": [10, 2, 0, 0, 0, 0, 12],
        "(一) 予以公开": [5, 2, 0, 0, 0, 0, 7],
        "(二) 部分公开": [1, 0, 0, 0, 0, 0, 1],
        "4. 保护第三方合法权益": [1, 0, 0, 0, 0, 0, 1],
        "1. 本机关不掌握相关信息": [2, 0, 0, 0, 0, 0, 2],
        "1. 信访举报投诉类申请": [1, 0, 0, 0, 0, 0, 1],
        "(七) 总计": [10, 2, 0, 0, 0, 0, 12],
    }, t4=[1, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1], procurement=[15, "60.5"], punishment=[1, 2, 3]),
        encoding="utf-8")
    # 柴桥街道 2020: row 一 "/" in all seven cells (not stated); 予以公开 4; 总计 4. Table 四: 复议 0 1 0 0 1.
    # 采购 30 items, "80000元" under a header without unit.
    (folder / CQ20[2]).write_text(_derive("柴桥街道", 2020, t3={
        "一、本年新收": ["/"] * 7,
        "(一) 予以公开": [4, 0, 0, 0, 0, 0, 4],
        "(七) 总计": [4, 0, 0, 0, 0, 0, 4],
    }, t4=[0, 1, 0, 0, 1] + [0] * 10, procurement=[30, "80000元"], amount_header="采购总金额"), encoding="utf-8")
    # 龙山镇 2020: 新收 6; 予以公开 4; 第三方 1; 不掌握 1; 总计 6. Table 四: 复议 0 2 0 1 3; 直接起诉 1 0 0 0 1.
    # 采购 10 items, 3.5 (header 万元). 行政处罚 处理决定 5.
    (folder / LS20[2]).write_text(_derive("龙山镇", 2020, t3={
        "一、本年新收": [6, 0, 0, 0, 0, 0, 6],
        "(一) 予以公开": [4, 0, 0, 0, 0, 0, 4],
        "4. 保护第三方合法权益": [1, 0, 0, 0, 0, 0, 1],
        "1. 本机关不掌握相关信息": [1, 0, 0, 0, 0, 0, 1],
        "(七) 总计": [6, 0, 0, 0, 0, 0, 6],
    }, t4=[0, 2, 0, 1, 3, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0], procurement=[10, "3.5"], punishment=[0, 0, 5]),
        encoding="utf-8")
    # 凤凰镇 2020: 新收 9; 予以公开 9; 总计 9; table 四 all 0. 采购 8 items, 20 (header 采购总金额（万元）).
    # 行政处罚 row "1234": three cells run together, no arithmetic to split them by.
    (folder / FH20[2]).write_text(_derive("凤凰镇", 2020, t3={
        "一、本年新收": [9, 0, 0, 0, 0, 0, 9],
        "(一) 予以公开": [9, 0, 0, 0, 0, 0, 9],
        "(七) 总计": [9, 0, 0, 0, 0, 0, 9],
    }, t4=[0] * 15, procurement=[8, "20"], amount_header="采购总金额（万元）",
        raw=(("行政处罚\t0\t0\t0", "行政处罚\t1234"),)), encoding="utf-8")


def _store(folder: Path, *paths: Path) -> Answerer:
    config = folder / "config.toml"
    config.write_text(f'[paths]\nreports = "reports"\ndatabase = "db.sqlite"\nindex = "idx"\n',
                      encoding="utf-8")
    assert ingest_main(["--config", str(config), "--no-index", "--quiet", *map(str, paths)]) == 0
    return Answerer(load_config(config), dense=False)


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Answerer:
    """The five samples and the four derived reports (newest year 2020), BM25 only."""
    folder = tmp_path_factory.mktemp("aggregates")
    extra = folder / "derived"
    extra.mkdir()
    _write_derived(extra)
    answerer = _store(folder, SAMPLES, extra)
    yield answerer
    answerer.close()


@pytest.fixture(scope="module")
def full_service(tmp_path_factory) -> Answerer:
    """The five samples and the four real reports (newest year 2025), BM25 only."""
    answerer = _store(tmp_path_factory.mktemp("aggregates_real"), SAMPLES, REAL)
    yield answerer
    answerer.close()


def _held(answerer: Answerer) -> set[tuple[str, int, str]]:
    connection = sqlite3.connect(f"file:{answerer.database}?mode=ro", uri=True)
    try:
        return {(body, year, Path(source).name)
                for body, year, source in connection.execute("SELECT body, year, source FROM reports")}
    finally:
        connection.close()


def test_the_derived_reports_are_read_as_meant(service):
    """The fixture itself: each derived file is stored under the body and year it was written for."""
    assert _held(service) == {CQ19, DL20, QTH20, WJ19, ZJZ19, QTH19, CQ20, LS20, FH20}


# --- helpers -------------------------------------------------------------------------------------------------------
def _cited(answer) -> set[tuple[str, int, str]]:
    return {(c.org, c.year, Path(c.file).name) for c in answer.citations}


def _said(answer) -> str:
    """What the user reads: the answer and its warnings (bot/render.py shows both)."""
    return answer.answer + "\n" + "\n".join(answer.warnings)


def _listed_with_number(answer, body: str) -> bool:
    """The body appears in the answer's text with a number beside it ("东柳街道 0件", "东柳街道2020年 0件")."""
    return re.search(rf"{body}(\d{{4}}年)?\s*-?\d", answer.answer) is not None


def assert_skipped(answer, skipped) -> None:
    """Each skipped report is named as not counted, and is not listed with a number (a blank is never 0)."""
    for body, year, _ in skipped:
        assert f"{body}{year}年" in _said(answer), (answer.answer, answer.warnings)
        assert not _listed_with_number(answer, body), answer.answer


def assert_aggregate(answer, value, counted, skipped=(), *, year=None, unit=None, org=None) -> None:
    assert answer.kind == "aggregate", answer.answer
    assert answer.value == pytest.approx(value), answer.answer
    assert _cited(answer) == set(counted), answer.citations
    for body, _, _ in counted:
        assert body in answer.answer, answer.answer
    assert_skipped(answer, skipped)
    if year is not None:
        assert answer.year == year, answer.answer
    if unit is not None:
        assert answer.unit == unit, answer.answer
    if org is not None:
        assert answer.org == org, answer.answer


def assert_none(answer) -> None:
    """Said plainly, with no number and no table citation."""
    assert answer.kind == "none", answer.answer
    assert answer.value is None, answer.answer
    assert not answer.citations, answer.citations
    assert "没有" in answer.answer, answer.answer


def assert_in_order(text: str, parts) -> None:
    positions = [text.find(p) for p in parts]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), (text, parts)


# --- sums: 一共 / 合计 / 总共 / 加起来 / 各街道 -------------------------------------------------------------------------
@pytest.mark.parametrize("question, value, counted, skipped", [
    # 本年新收: 东柳 无 = 0, 桥头胡 18; 柴桥 2020 "/" is not stated
    ("2020年各街道收到的申请加起来有多少", 18, [DL20, QTH20], [CQ20]),
    # 柴桥 2 + 王家 0 + 左家庄 3 + 桥头胡 12
    ("2019年各街道一共收到多少件申请", 17, ALL_2019, []),
    ("19年各街道办事处一共收到多少申请", 17, ALL_2019, []),
    # 予以公开: 2 + 0 + 2 + 7
    ("二〇一九年各街道予以公开的申请一共多少件", 11, ALL_2019, []),
    # 部分公开: 东柳 无 = 0, 桥头胡 2, 柴桥 2020 0
    ("2020年各街道部分公开的申请总共几件", 2, [DL20, QTH20, CQ20], []),
    # 不予公开 (eight sub-rows): 0 + 0 + 0 + 1 (桥头胡 2019 第三方)
    ("2019年各街道不予公开合计多少件", 1, ALL_2019, []),
    # 东柳 leaves all eight 不予公开 cells blank: not 0, not counted
    ("2020年各街道不予公开的申请合计多少件", 0, [QTH20, CQ20], [DL20]),
    # （七）总计: 桥头胡 11 + 柴桥 2020 4; 东柳's 总计 cell is blank (only 自然人 says 无)
    ("2020年各街道办结的申请合计", 15, [QTH20, CQ20], [DL20]),
    # every 2020 report: 0 + 18 + 6 + 9; 柴桥 2020 not stated
    ("2020年所有单位合计收到多少申请", 33, [DL20, QTH20, LS20, FH20], [CQ20]),
    # 各镇: 龙山镇 6 + 凤凰镇 9 (the 街道 are not in scope)
    ("2020年各镇收到的申请总共多少", 15, [LS20, FH20], []),
    # 自然人 column: 2 + 0 + 3 + 10
    ("2019年各街道自然人一共提出多少件申请", 15, ALL_2019, []),
    # 法人或其他组织 (five columns): 王家 0, 左家庄 0, 桥头胡 2019 2; 柴桥 2019 leaves all five blank
    ("2019年各街道法人或其他组织一共提出了多少申请", 2, [WJ19, ZJZ19, QTH19], [CQ19]),
])
def test_sums_with_a_year(service, question, value, counted, skipped):
    answer = service.answer(question)
    assert_aggregate(answer, value, counted, skipped, year=counted[0][1], unit="件")


@pytest.mark.parametrize("question, value, counted, skipped, unit", [
    ("收到的申请各街道合计多少", 18, [DL20, QTH20], [CQ20], "件"),
    ("各镇总共收到多少申请", 15, [LS20, FH20], [], "件"),
    # 采购总金额: 龙山镇 3.5 + 凤凰镇 20, both under a 万元 header
    ("各镇政府采购总金额合计", 23.5, [LS20, FH20], [], "万元"),
])
def test_sums_without_a_year_use_the_newest_and_say_so(service, question, value, counted, skipped, unit):
    answer = service.answer(question)
    assert_aggregate(answer, value, counted, skipped, year=2020, unit=unit)
    assert "2020" in _said(answer) and "最新" in _said(answer), _said(answer)


def test_sum_phrased_as_applications_total(service):
    answer = service.answer("2019年各街道自然人申请合计")
    assert_aggregate(answer, 15, ALL_2019, year=2019)


def test_sum_over_a_counted_number_of_streets(service):
    answer = service.answer("2019年四个街道收到的申请总和是多少")
    assert_aggregate(answer, 17, ALL_2019, year=2019)


@pytest.mark.parametrize("question", ["2020年全部街道共计收到多少件申请", "2020年所有街道的申请加起来多少"])
def test_sum_scope_said_with_all(service, question):
    assert_aggregate(service.answer(question), 18, [DL20, QTH20], [CQ20], year=2020)


# --- table 四 (行政复议 纠正, 行政诉讼) and table 二 (采购, 行政处罚) -------------------------------------------------------
@pytest.mark.parametrize("question, value, counted, skipped", [
    # 行政复议 总计: 柴桥 0, 王家 0, 桥头胡 2019 2; 左家庄 leaves its five 行政复议 cells blank
    ("2019年各街道行政复议一共多少件", 2, [CQ19, WJ19, QTH19], [ZJZ19]),
    # 东柳's 行政复议 总计 says 无 (= 0) though its four result cells are blank: counted as 0
    ("2020年各街道行政复议一共几件", 1, [DL20, QTH20, CQ20], []),
    # 结果纠正: 桥头胡 0, 柴桥 2020 1; 东柳's 结果纠正 cell is blank
    ("2020年各街道行政复议被纠正合计几件", 1, [QTH20, CQ20], [DL20]),
    ("2020年各镇行政复议纠正了多少件", 2, [LS20, FH20], []),  # 2 + 0
    # 行政诉讼 = 直接起诉 总计 + 复议后起诉 总计: 东柳 无+无, 桥头胡 1+0, 柴桥 0+0, 龙山镇 1+0, 凤凰镇 0+0
    ("2020年各单位行政诉讼合计", 2, [DL20, QTH20, CQ20, LS20, FH20], []),
])
def test_sums_over_tables_four_and_two(service, question, value, counted, skipped):
    assert_aggregate(service.answer(question), value, counted, skipped, year=2020 if "2020" in question else 2019)


@pytest.mark.parametrize("question, value, counted, skipped", [
    # 行政复议 结果纠正: 办公厅 0 (40 0 10 5 55), 县政府 10 (27 10 9 15 61)
    ("2025年各单位行政复议结果纠正合计多少件", 10, [BGT25, XIAN25], []),
    # 复议后起诉 总计: 办公厅 22 + 县政府 10
    ("2025年各单位复议后起诉合计多少件", 32, [BGT25, XIAN25], []),
    # 行政诉讼: 办公厅 12 + 22, 县政府 3 + 10
    ("2025年各单位行政诉讼一共多少件", 47, [BGT25, XIAN25], []),
    # 行政诉讼 结果纠正: 0 + 0 in both groups of both reports
    ("2025年各单位行政诉讼被纠正的一共几件", 0, [BGT25, XIAN25], []),
])
def test_sums_over_the_real_reports(full_service, question, value, counted, skipped):
    assert_aggregate(full_service.answer(question), value, counted, skipped, year=2025)


@pytest.mark.parametrize("question, known, unknown, service_name", [
    # 行政处罚 处理决定数量: 龙山镇 5; 凤凰镇's row "1234" cannot be split: unknown, and it may be anything
    ("2020年各镇行政处罚决定一共多少", [LS20], [FH20], "service"),
    ("2020年哪个镇行政处罚决定最多", [LS20], [FH20], "service"),
    # 规范性文件 本年制发件数: 县政府 6; 办公厅's row "| 行政规范性文件 | 34 | 189 |" lost a cell: unknown
    ("2025年各单位规范性文件制发合计", [XIAN25], [BGT25], "full_service"),
])
def test_a_total_or_ranking_over_an_unknown_cell_gives_no_number(request, question, known, unknown, service_name):
    answer = request.getfixturevalue(service_name).answer(question)
    assert (answer.kind, answer.value) == ("aggregate", None), answer.answer
    assert "无法得出" in answer.answer and "可能改变结果" in answer.answer
    assert _cited(answer) == set(known)
    for body, year, _ in unknown:
        assert f"{body}{year}年" in answer.answer and not re.search(f"{body} \\d", answer.answer)  # no number


def test_fee_sum_without_a_year_uses_2025_and_says_so(full_service):
    # 本年收费金额（单位：万元）: 办公厅 0, 县政府 4068.208 (科委 2024 and 发改局 2023 are other years)
    answer = full_service.answer("各单位行政事业性收费金额加起来多少")
    assert_aggregate(answer, 4068.208, [BGT25, XIAN25], year=2025, unit="万元")
    assert "2025" in _said(answer) and "最新" in _said(answer)


def test_money_sum_leaves_out_amounts_without_a_unit_and_names_them(service):
    # 2020 街道 采购总金额: 柴桥 80000元; 东柳 169844 and 桥头胡 12.5275 state no unit (元? 万元?)
    answer = service.answer("2020年各街道采购总金额一共多少")
    assert answer.kind == "aggregate", answer.answer
    assert (answer.value, answer.unit) in ((pytest.approx(80000), "元"), (pytest.approx(8), "万元")), answer.answer
    assert _cited(answer) == {CQ20}
    for body, number in (("东柳街道", "169844"), ("桥头胡街道", "12.5275")):
        assert body in _said(answer) and number in _said(answer)
        assert not _listed_with_number(answer, body), answer.answer


def test_money_sum_over_yuan_and_wan_yuan_is_never_added_raw(service):
    # 2019: 柴桥 245万元, 王家 517200元 (= 51.72万元), 左家庄 115.6096 (万元 header), 桥头胡 60.5 (万元 header).
    # Right: 472.8296万元, or no total with each amount and its unit; wrong: 517421.1096 (units added raw).
    answer = service.answer("2019年各街道采购金额一共多少")
    assert answer.kind == "aggregate", answer.answer
    if answer.value is not None:
        assert (answer.value, answer.unit) == (pytest.approx(472.8296), "万元"), answer.answer
    for shown in ("245万元", "517200元", "115.6096万元", "60.5万元"):
        assert shown in answer.answer, answer.answer
    assert _cited(answer) == set(ALL_2019)


# --- largest / smallest: 哪个街道最多 / 最少 / 谁多 -------------------------------------------------------------------
@pytest.mark.parametrize("question, value, org, counted, skipped", [
    ("2020年哪个街道受理的申请最多", 18, "桥头胡街道", [QTH20, DL20], [CQ20]),  # 18 vs 0
    ("2019年哪个街道收到的申请最少", 0, "王家街道", ALL_2019, []),  # 2, 0, 3, 12
    ("2020年各镇谁收到的申请多", 9, "凤凰镇", [LS20, FH20], []),  # 6 vs 9
    ("2020年各镇里哪个收到申请最少", 6, "龙山镇", [LS20, FH20], []),
    # 结果纠正: 龙山镇 2, 柴桥 1, 桥头胡 0, 凤凰镇 0; 东柳 blank
    ("2020年行政复议被纠正最多的是哪个单位", 2, "龙山镇", [LS20, CQ20, QTH20, FH20], [DL20]),
    # the same among 街道 only
    ("2020年哪个街道行政复议被纠正的最多", 1, "柴桥街道", [CQ20, QTH20], [DL20]),
    ("2020年哪个街道行政处罚决定最多", 4, "东柳街道", [DL20, QTH20, CQ20], []),  # 4, 0, 0
    # 采购总金额 in 万元: 柴桥 245, 左家庄 115.6096, 桥头胡 60.5, 王家 517200元 = 51.72 (not the largest)
    ("2019年哪个街道的政府采购金额最高", 245, "柴桥街道", ALL_2019, []),
    # two bodies named: 左家庄 3 vs 王家 0
    ("左家庄与王家哪个收到的申请多", 3, "左家庄街道", [ZJZ19, WJ19], []),
    ("左家庄街道跟王家街道相比谁收到的申请少", 0, "王家街道", [ZJZ19, WJ19], []),
    ("2019年柴桥街道和王家街道政府采购金额哪个多", 245, "柴桥街道", [CQ19, WJ19], []),  # 245万元 vs 51.72万元
    ("桥头胡和左家庄2019年采购项目哪个多", 20, "左家庄街道", [QTH19, ZJZ19], []),  # 15 vs 20
])
def test_largest_and_smallest(service, question, value, org, counted, skipped):
    answer = service.answer(question)
    assert_aggregate(answer, value, counted, skipped, org=org)


def test_largest_review_corrections_among_the_real_reports(full_service):
    answer = full_service.answer("2025年行政复议纠正最多的是哪个单位")
    assert_aggregate(answer, 10, [XIAN25, BGT25], org="沐阳县人民政府", year=2025)


def test_smallest_money_converts_yuan_to_wan_yuan(service):
    # 王家 517200元 = 51.72 万元 is the smallest (桥头胡 60.5, 左家庄 115.6096, 柴桥 245万元)
    answer = service.answer("2019年采购金额最少的是哪个街道")
    assert answer.kind == "aggregate" and answer.org == "王家街道", answer.answer
    assert "517200元" in answer.answer
    assert _cited(answer) == set(ALL_2019)


def test_smallest_money_keeps_the_unit_of_its_value(service):
    answer = service.answer("2019年采购金额最少的是哪个街道")
    assert (answer.value, answer.unit) in ((pytest.approx(517200), "元"), (pytest.approx(51.72), "万元"))


def test_largest_money_leaves_out_amounts_without_a_unit(service):
    # 2020 in 万元: 凤凰镇 20, 柴桥 80000元 = 8, 龙山镇 3.5; 东柳 169844 and 桥头胡 12.5275 have no unit
    answer = service.answer("2020年哪个单位采购金额最多")
    assert answer.kind == "aggregate" and answer.org == "凤凰镇", answer.answer
    assert answer.value == pytest.approx(20)
    assert _cited(answer) == {FH20, CQ20, LS20}
    for body in ("东柳街道", "桥头胡街道"):
        assert body in _said(answer) and not _listed_with_number(answer, body)


def test_ties_are_named(service):
    # 行政处罚 处理决定数量 2019: 柴桥 0, 王家 0, 左家庄 0, 桥头胡 3
    answer = service.answer("2019年哪个街道行政处罚决定最少")
    assert answer.kind == "aggregate" and answer.value == 0, answer.answer
    assert answer.org in ("柴桥街道", "王家街道", "左家庄街道")
    assert "并列" in _said(answer)
    assert all(body in _said(answer) for body in ("柴桥街道", "王家街道", "左家庄街道"))


def test_largest_scope_said_after_the_measure(service):
    answer = service.answer("2020年行政复议纠正最多的街道")
    assert_aggregate(answer, 1, [CQ20, QTH20], [DL20], org="柴桥街道")


@pytest.mark.parametrize("question", ["2019年收到申请倒数第一的是哪个街道", "2019年收到申请排在最后的街道"])
def test_last_place(service, question):
    assert_aggregate(service.answer(question), 0, ALL_2019, org="王家街道")


def test_second_place(service):
    answer = service.answer("2019年哪个街道收到申请第二多")
    assert answer.org == "左家庄街道" and answer.value == 3, answer.answer


def test_a_place_beyond_the_ranking_is_said(service):
    answer = service.answer("2019年哪个街道收到申请第五多")  # four 街道 hold a 2019 report
    assert answer.kind == "none" and answer.value is None
    assert "只有4份报告" in answer.answer and "第5名" in answer.answer


# --- rankings: 排名 / 前三 / 前两名 -------------------------------------------------------------------------------------
@pytest.mark.parametrize("question, ranked", [
    ("2019年各街道收到申请排名", [(QTH19, 12), (ZJZ19, 3), (CQ19, 2), (WJ19, 0)]),
    ("2019年收到申请前两名的街道", [(QTH19, 12), (ZJZ19, 3)]),
    # 采购项目数量: 柴桥 41, 左家庄 20, 桥头胡 15, 王家 5
    ("2019年各街道政府采购项目排名前三", [(CQ19, 41), (ZJZ19, 20), (QTH19, 15)]),
    # 前三 of two 镇: both, no more
    ("2020年各镇收到申请前三名", [(FH20, 9), (LS20, 6)]),
])
def test_rankings(service, question, ranked):
    answer = service.answer(question)
    (first, top), *_ = ranked
    assert_aggregate(answer, top, [r for r, _ in ranked], org=first[0])
    assert_in_order(answer.answer, [r[0] for r, _ in ranked])
    left_out = {body for body, year, _ in _held(service) if year == first[1]} - {r[0] for r, _ in ranked}
    assert not any(body in answer.answer for body in left_out), answer.answer


def test_ranking_scope_said_after_the_measure(service):
    answer = service.answer("2020年收到申请前两名的街道")
    assert_aggregate(answer, 18, [QTH20, DL20], org="桥头胡街道")
    assert "凤凰镇" not in answer.answer and "龙山镇" not in answer.answer


@pytest.mark.parametrize("question, ranked", [
    ("2019年收到申请最多的前三个街道", [QTH19, ZJZ19, CQ19]),
    ("2020年收到申请最多的两个街道", [QTH20, DL20]),
])
def test_ranking_with_a_counted_number_of_streets(service, question, ranked):
    answer = service.answer(question)
    assert answer.kind == "aggregate", answer.answer
    assert _cited(answer) == set(ranked)
    assert_in_order(answer.answer, [r[0] for r in ranked])


def test_ranking_asked_as_order_them(service):
    answer = service.answer("2020年各街道收到的申请从多到少排一下")
    assert_aggregate(answer, 18, [QTH20, DL20], [CQ20], org="桥头胡街道")
    assert "合计" not in answer.answer


# --- comparisons: A和B对比 / A比B多多少 ----------------------------------------------------------------------------------
def _shows(answer, report, shown) -> bool:
    body, year, _ = report
    return re.search(rf"{body}{year}年\s*{re.escape(shown)}", answer.answer) is not None


@pytest.mark.parametrize("question, parts, skipped, service_name", [
    ("桥头胡街道和东柳街道2020年收到的申请对比", [(QTH20, "18件"), (DL20, "0件")], [], "service"),
    ("柴桥和左家庄2019年的采购金额比较", [(CQ19, "245万元"), (ZJZ19, "115.6096万元")], [], "service"),
    ("2019年王家街道与柴桥街道比较采购金额", [(WJ19, "517200元"), (CQ19, "245万元")], [], "service"),
    # no year: each body's newest report (both 2020)
    ("龙山镇和凤凰镇采购金额对比", [(LS20, "3.5万元"), (FH20, "20万元")], [], "service"),
    # 东柳's 结果纠正 cell is blank: named, not shown as 0
    ("东柳街道和龙山镇2020年行政复议纠正对比", [(LS20, "2件")], [DL20], "service"),
    # no year, bodies whose newest reports are of different years: each named with its own year
    ("上海市科委和沭阳县发改局收到申请对比", [(KEWEI24, "34件"), (FAGAIJU23, "26件")], [], "full_service"),
])
def test_comparisons(request, question, parts, skipped, service_name):
    answer = request.getfixturevalue(service_name).answer(question)
    assert answer.kind == "aggregate", answer.answer
    assert all(_shows(answer, report, shown) for report, shown in parts), answer.answer
    assert _cited(answer) == {report for report, _ in parts}
    assert_skipped(answer, skipped)


def test_how_many_more_than_another_body(service):
    answer = service.answer("2019年左家庄比柴桥多收到几件申请")
    assert answer.value == 1, answer.answer
    assert _cited(answer) == {ZJZ19, CQ19}


def test_comparison_with_a_year_one_body_lacks(service):
    answer = service.answer("桥头胡和东柳2019年收到申请对比")
    assert _shows(answer, QTH19, "12件"), answer.answer
    assert "东柳街道2019年" in _said(answer) and "2020" in _said(answer), _said(answer)


@pytest.mark.parametrize("question, report, value, unknown, service_name", [
    ("桥头胡街道和西湖街道2020年收到申请对比", QTH20, 18, "西湖街道", "service"),
    # 北京市科委 is not the held 上海市科委 (kewei 表三 row 一: 32 + 2 = 34)
    ("上海市科委和北京市科委收到申请对比", KEWEI24, 34, "北京市科委", "full_service"),
])
def test_comparison_of_a_held_body_with_an_unknown_one(request, question, report, value, unknown, service_name):
    answer = request.getfixturevalue(service_name).answer(question)
    assert answer.value == pytest.approx(value) and answer.org == report[0], answer.answer
    assert _cited(answer) == {report}
    assert f"没有找到{unknown}" in _said(answer), _said(answer)


# --- trends: 历年 / 近两年变化 / 2019年和2020年 / 同比 ------------------------------------------------------------------
@pytest.mark.parametrize("question, body, by_year, counted", [
    ("桥头胡街道历年收到的申请", "桥头胡街道", [(2019, "12件"), (2020, "18件")], [QTH19, QTH20]),
    ("桥头胡近两年收到申请的变化", "桥头胡街道", [(2019, "12件"), (2020, "18件")], [QTH19, QTH20]),
    ("桥头胡街道2019年和2020年收到的申请", "桥头胡街道", [(2019, "12件"), (2020, "18件")], [QTH19, QTH20]),
    # 行政复议 结果纠正: 2019 1, 2020 0
    ("桥头胡历年行政复议纠正", "桥头胡街道", [(2019, "1件"), (2020, "0件")], [QTH19, QTH20]),
    # 行政诉讼: 2019 0 + 1, 2020 1 + 0
    ("桥头胡街道19年和20年行政诉讼几件", "桥头胡街道", [(2019, "1件"), (2020, "1件")], [QTH19, QTH20]),
    # 采购总金额: 245万元, then 80000元: each with its own unit
    ("柴桥街道每年的政府采购金额", "柴桥街道", [(2019, "245万元"), (2020, "80000元")], [CQ19, CQ20]),
])
def test_trends(service, question, body, by_year, counted):
    answer = service.answer(question)
    assert answer.kind == "aggregate" and answer.org == body, answer.answer
    assert_in_order(answer.answer, [f"{year}年 {shown}" for year, shown in by_year])
    assert _cited(answer) == set(counted)
    assert answer.year == by_year[-1][0]


def test_trend_with_a_blank_year_names_it_and_does_not_show_0(service):
    # 柴桥 row 一: 2019 2; 2020 "/" (not stated)
    answer = service.answer("柴桥街道历年收到的申请")
    assert answer.kind == "aggregate", answer.answer
    assert "2019年 2件" in answer.answer
    assert not re.search(r"2020年\s*0", answer.answer), answer.answer
    assert "柴桥街道2020年" in _said(answer)
    assert _cited(answer) == {CQ19}


def test_trend_of_money_names_the_year_without_a_unit(service):
    # 桥头胡 采购总金额: 2019 60.5 (万元 header); 2020 12.5275 with no unit anywhere
    answer = service.answer("桥头胡19年和20年采购金额")
    assert answer.kind == "aggregate", answer.answer
    assert "2019年 60.5万元" in answer.answer
    assert "12.5275" in _said(answer) and "单位" in _said(answer)
    assert not re.search(r"2020年\s*12\.5275\s*万元", answer.answer)


@pytest.mark.parametrize("question", [
    "桥头胡街道2020年收到的申请比去年多了多少",
    "桥头胡2020年收到申请同比增长多少",
    "桥头胡街道2020年比2019年多收到几件申请",
])
def test_change_from_the_year_before(service, question):
    answer = service.answer(question)
    assert answer.value == 6, answer.answer
    assert _cited(answer) == {QTH19, QTH20}


def test_last_two_years(service):
    answer = service.answer("桥头胡街道近两年收到多少申请")
    assert answer.kind == "aggregate", answer.answer
    assert_in_order(answer.answer, ["2019年 12件", "2020年 18件"])


@pytest.mark.parametrize("question", ["各街道历年收到的申请", "2019年和2020年各街道分别收到多少申请"])
def test_totals_per_year(service, question):
    answer = service.answer(question)
    assert re.search(r"2019年[^。；]*17", answer.answer) and re.search(r"2020年[^。；]*18", answer.answer), \
        answer.answer


# --- wrong or partial inputs ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("question, year", [
    ("2018年各街道一共收到多少申请", "2018"),
    ("2021年哪个街道收到的申请最多", "2021"),
])
def test_year_with_no_reports(service, question, year):
    answer = service.answer(question)
    assert_none(answer)
    assert year in answer.answer


def test_year_with_no_reports_names_the_years_held(service):
    answer = service.answer("2018年各街道一共收到多少申请")
    assert "2019" in answer.answer and "2020" in answer.answer, answer.answer


@pytest.mark.parametrize("question", ["2020年各乡一共收到多少申请", "各乡加起来收到多少申请"])
def test_scope_with_no_bodies(service, question):
    assert_none(service.answer(question))


def test_scope_with_no_bodies_names_the_scope(service):
    answer = service.answer("2020年各乡一共收到多少申请")
    assert "乡" in answer.answer, answer.answer


def test_sum_without_a_year_uses_the_newest_year_of_the_scope(full_service):
    answer = full_service.answer("各街道一共收到多少申请")
    assert_aggregate(answer, 18, [DL20, QTH20], year=2020)
    assert "2020" in _said(answer)


# --- cases from a code review: each gave a wrong body or number before ---------------------------------------
def test_a_fee_paid_is_not_the_applications_received(full_service):
    # 沐阳 2025 section 六: "收取信息处理费共计380元"; not 表三 一、本年新收 (713)
    answer = full_service.answer("沐阳县人民政府2025年申请人缴纳了多少信息处理费")
    assert answer.kind == "narrative" and answer.value is None
    assert "380元" in answer.answer


@pytest.mark.parametrize("question", ["八里庄街道2019年收到多少申请", "三里屯街道收到多少申请"])
def test_a_name_that_starts_with_a_numeral_is_a_name(service, question):
    answer = service.answer(question)
    assert_none(answer)
    assert question[:5] in answer.answer


@pytest.mark.parametrize("question", ["东方市科委2024年收到多少申请", "三沙市发展和改革局2023年收到多少申请"])
def test_a_place_jieba_does_not_know_is_still_another_place(full_service, question):
    assert_none(full_service.answer(question))


def test_second_from_the_bottom(service):
    # 2019 街道: 桥头胡 12, 左家庄 3, 柴桥 2, 王家 0
    answer = service.answer("2019年收到申请倒数第二名的街道是哪个")
    assert (answer.org, answer.value) == ("柴桥街道", 2), answer.answer
    answer = service.answer("2019年收到申请第三少的街道")
    assert (answer.org, answer.value) == ("左家庄街道", 3), answer.answer


def test_change_on_last_year_reads_the_stated_change_of_table_two(service):
    # 左家庄 2019 表二 行政许可: 上一年项目数量 0, 本年增/减 0, 处理决定数量 0; no 2018 report is needed
    answer = service.answer("左家庄街道2019年行政许可比上年增加了多少")
    assert answer.kind == "numeric" and answer.value == 0, answer.answer
    assert "本年增/减" in answer.answer and "2018" not in answer.answer + " ".join(answer.warnings)


def test_last_year_not_held_is_said(service):
    # 桥头胡街道 holds 2019 (12) and 2020 (18); 2018 is not held
    answer = service.answer("桥头胡街道2019年收到的申请比去年多多少")
    assert any("没有找到桥头胡街道2018年的年度报告" in w for w in answer.warnings), answer.warnings
    assert "比2018年" not in answer.answer


def test_village_and_town_words_in_a_text_question_are_not_a_scope(full_service):
    answer = full_service.answer("2025年村镇建设信息公开情况")
    assert answer.kind == "narrative" and answer.citations


def test_recent_years_are_the_newest_held(full_service):
    answer = full_service.answer("近两年各机关收到申请合计多少")  # held: 2019, 2020, 2023, 2024, 2025
    assert answer.kind == "aggregate"
    assert "2024年" in answer.answer and "2025年" in answer.answer and "2019年" not in answer.answer


def test_a_scope_with_no_reports_and_no_year(service):
    answer = service.answer("收到申请最多的乡是哪个")
    assert answer.kind == "none" and answer.answer == "库中没有乡的年度报告。"


# --- cases from a third review -------------------------------------------------------------------------------
@pytest.mark.parametrize("question", ["桥头胡街道2019年行政处罚与上年相比增加了多少",
                                      "桥头胡街道2019年行政处罚比2018年增加了多少"])
def test_change_on_last_year_phrased_otherwise_reads_the_stated_change(service, question):
    # 桥头胡 2019 (made here) 表二 行政处罚: 上一年 1, 本年增/减 2, 处理决定 3; no 2018 report is needed
    answer = service.answer(question)
    assert answer.kind == "numeric" and answer.value == 2 and "本年增/减" in answer.answer, answer.answer
    assert not any("2018" in w for w in answer.warnings)


def test_change_on_last_year_in_the_2021_format_compares_two_years(full_service):
    # the 2021 表二 has no 本年增/减: the two years' 处理决定 are compared, and 2023 is not held
    answer = full_service.answer("上海市科委2024年行政许可比上年增加了多少")
    assert any("没有找到上海市科委2023年的年度报告" in w for w in answer.warnings), (answer.answer, answer.warnings)


def test_a_year_with_its_suffix_before_a_short_name(full_service):
    answer = full_service.answer("2024年度市科委收到多少申请")
    assert (answer.org, answer.value) == ("上海市科委", 34), answer.answer


def test_an_ordinal_before_the_kind_of_body(service):
    answer = service.answer("2019年收到申请第二多街道是哪个")
    assert (answer.org, answer.value) == ("左家庄街道", 3), answer.answer


def test_recent_years_written_with_a_digit(service):
    answer = service.answer("近2年各街道收到申请合计多少")  # 2019 and 2020 are held
    assert "2019年" in answer.answer and "2020年" in answer.answer


def test_fewer_years_held_than_asked_is_said(service):
    answer = service.answer("东柳街道近两年收到多少申请")  # only 2020 is held: 近两年 is 2019 and 2020
    assert any("2019年" in w and "已收录：2020年" in w for w in answer.warnings), answer.warnings


def test_a_trend_of_two_bodies_gives_each(service):
    # 桥头胡 2019 12, 2020 18; 柴桥 2019 2, 2020 "/" (blank)
    answer = service.answer("桥头胡街道和柴桥街道历年收到多少申请")
    assert answer.kind == "aggregate"
    assert "2019年 12件" in answer.answer and "2020年 18件" in answer.answer
    assert "柴桥街道" in answer.answer and "2019年 2件" in answer.answer


def test_towns_and_townships_together_leave_the_streets_out(service):
    # 2020 镇: 龙山镇 6 + 凤凰镇 9 = 15 (no 乡 is held); the 街道 are not counted
    answer = service.answer("2020年各乡镇收到申请合计多少")
    assert answer.value == 15, answer.answer
    assert "桥头胡" not in answer.answer and "东柳" not in answer.answer


def test_a_text_question_about_one_kind_of_body_without_a_year(service):
    answer = service.answer("哪些镇提到了政务公开")
    assert answer.kind in ("narrative", "none")
    assert all(c.org.endswith("镇") for c in answer.citations), [c.org for c in answer.citations]


def test_the_bottom_of_a_ranking(service):
    # 2019 街道: 桥头胡 12, 左家庄 3, 柴桥 2, 王家 0
    answer = service.answer("2019年收到申请倒数前两名的街道")
    assert (answer.org, answer.value) == ("王家街道", 0), answer.answer
    assert_in_order(answer.answer, ["王家街道", "柴桥街道"])
    assert "左家庄" not in answer.answer


def test_a_group_and_a_row_of_the_other_format_are_summed_whole(full_service):
    # 沐阳县 2025 (2021 format): 不予处理 12 + 7 + 0 + 0 + 0; 其他处理 has three rows: 9 + 7 + 143 — 178 in all
    answer = full_service.answer("沐阳县2025年不予处理和其他处理一共多少件")
    assert answer.value == 178, answer.answer
    assert answer.answer.startswith("沐阳县人民政府2025年不予处理和其他处理的申请合计178件")


def test_a_kind_of_body_asked_over_without_a_place_is_that_kind(full_service):
    # 2025: 沐阳县人民政府 (一、本年新收 705 | 3 | 0 | 0 | 5 | 0 | 713) is the only county; 上海市人民政府办公厅 is none
    answer = full_service.answer("2025年各县一共收到多少申请")
    assert answer.value == 713 and "上海" not in answer.answer, answer.answer
