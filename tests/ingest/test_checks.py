"""Consistency findings (勾稽关系): what the samples and real reports say, and the rules across years."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.checks import check_across_years, check_report
from ingest.model import Cell
from ingest.pipeline import ingest_file
from ingest.report import parse_bytes
from tests.conftest import REAL, SAMPLES
from tests.ingest.conftest import QIAOTOUHU, ZUOJIAZHUANG, sample_path, sample_text, shift_years

KEWEI = "2024_shanghai_kewei.txt"


def _parse(path: Path):
    return parse_bytes(path.read_bytes(), path.name)


def test_zuojiazhuang_row_whose_total_is_not_its_sum():
    report = _parse(sample_path(ZUOJIAZHUANG))
    messages = [f.message for f in report.findings]
    assert "左家庄街道 2019 表三（四）1.本机关不掌握相关政府信息：总计 1 ≠ 各列之和 0" in messages
    (row_sum,) = [f for f in report.findings if f.rule == "t3_row_sum"]
    assert "三/unavailable.not_held/total" in row_sum.cells
    # the same cell breaks the 自然人 column: 予以公开 2 + 不掌握 0 ≠ （七）总计 3
    assert messages == ["左家庄街道 2019 表三（四）1.本机关不掌握相关政府信息：总计 1 ≠ 各列之和 0",
                        "左家庄街道 2019 表三（自然人列）：（七）总计 3 ≠ 各项办理结果之和 2"]


@pytest.mark.parametrize("path", [p for p in SAMPLES if not p.name.startswith(ZUOJIAZHUANG)] + REAL,
                         ids=lambda p: p.name)
def test_consistent_reports_have_no_findings(path: Path):
    assert _parse(path).findings == ()


def test_kewei_blank_carried_forward_total_is_not_read_as_zero():
    """上海市科委 2024 leaves 结转下年度继续办理·总计 blank while its 自然人 cell says 1. Read as 0, the 总计 column
    would not balance (34 + 2 = 36 against 35 + 0); a blank 总计 in a stated row is "not stated", so that check is
    skipped and the 自然人 column (32 + 2 = 33 + 1) still holds."""
    report = _parse(next(p for p in REAL if p.name == KEWEI))
    cells = {(c.row_key, c.col_key): c for c in report.cells if c.table == "三"}
    assert (cells[("carried_forward", "total")].value, cells[("carried_forward", "total")].status) == (None, "blank")
    assert cells[("carried_forward", "natural_person")].value == 1
    assert report.findings == ()
    # the same cells with the 总计 stated as 0 do not balance, so the check is live
    stated = [c if (c.table, c.row_key, c.col_key) != ("三", "carried_forward", "total")
              else Cell(c.table, c.row_key, c.row_label, c.col_key, c.col_label, 0.0, None, "0") for c in report.cells]
    assert [f.message for f in check_report(report.body, report.year, stated)] == [
        "上海市科委 2024 表三四、结转下年度继续办理：总计 0 ≠ 各列之和 1",
        "上海市科委 2024 表三（总计列）：本年新收 + 上年结转 = 36 ≠ 办理结果总计 + 结转下年度 = 35"]


# --- rules on hand-made cells ---------------------------------------------------------------------------------
def _cell(table: str, row: str, col: str, value: float | None, status: str = "ok") -> Cell:
    return Cell(table, row, row, col, col, value, None, "" if value is None else str(value), status)


def _t3_row(row: str, values: list[float | None], status: str | None = None) -> list[Cell]:
    """One row of table 三; a cell is ok with a value, blank without one, unless ``status`` says otherwise."""
    columns = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total")
    return [_cell("三", row, c, v, status or ("ok" if v is not None else "blank")) for c, v in zip(columns, values)]


def test_unknown_cell_makes_its_checks_inconclusive():
    cells = _t3_row("new_received", [1, 0, 0, 0, 0, 0, 5]) + _t3_row("total", [None] * 7, "unknown")
    rules = {f.rule for f in check_report("甲街道", 2020, cells)}
    assert "t3_row_sum" in rules  # 1 ≠ 5 on its own row
    assert "t3_balance" not in rules and "t3_outcomes" not in rules


def test_all_blank_row_is_not_checked():
    cells = _t3_row("new_received", [None] * 7) + _t3_row("total", [None] * 7)
    assert check_report("甲街道", 2020, cells) == []


def test_table4_group_total():
    cells = [_cell("四", "review", c, v) for c, v in zip(("upheld", "corrected", "other", "pending", "total"),
                                                          (1, 1, 0, 0, 3))]
    (finding,) = check_report("甲街道", 2020, cells)
    assert (finding.rule, finding.message) == ("t4_group_sum", "甲街道 2020 表四行政复议：总计 3 ≠ 各项之和 2")


def test_across_years_carried_over_and_in_force():
    now = [_cell("三", "carried_over", "total", 0), _cell("二", "regulations", "in_force", 10),
           _cell("二", "regulations", "issued", 2), _cell("二", "regulations", "repealed", 1)]
    before = [_cell("三", "carried_forward", "total", 7), _cell("二", "regulations", "in_force", 8)]
    findings = check_across_years("甲街道", 2022, now, before)
    assert [(f.rule, f.message) for f in findings] == [
        ("t3_across_years", "甲街道 2022 表三 二、上年结转 0 ≠ 2021 年报告的 四、结转下年度继续办理 7"),
        ("t2_in_force_across_years", "甲街道 2022 表二规章：现行有效件数 10 ≠ 上年 8 + 本年制发 2 − 本年废止 1 = 9"),
    ]
    consistent = [_cell("三", "carried_forward", "total", 0), _cell("二", "regulations", "in_force", 9)]
    assert check_across_years("甲街道", 2022, now, consistent) == []


# --- across years, in the store -------------------------------------------------------------------------------
@pytest.fixture
def two_years(tmp_path: Path) -> tuple[Path, Path]:
    """桥头胡街道 2020 (上年结转 0) and the same report moved to 2019 (so 结转下年度 7): they disagree."""
    year_2020 = tmp_path / "qiaotouhu_2020.txt"
    year_2020.write_bytes(sample_path(QIAOTOUHU).read_bytes())
    year_2019 = tmp_path / "qiaotouhu_2019.txt"
    year_2019.write_text(shift_years(sample_text(QIAOTOUHU), -1), encoding="utf-8")
    return year_2019, year_2020


ACROSS = "桥头胡街道 2020 表三 二、上年结转 0 ≠ 2019 年报告的 四、结转下年度继续办理 7"


@pytest.mark.parametrize("order", ["earlier first", "later first"])
def test_carried_over_against_last_years_carried_forward(store, two_years, order):
    year_2019, year_2020 = two_years
    first, second = (year_2019, year_2020) if order == "earlier first" else (year_2020, year_2019)
    assert ingest_file(first, store).status == "added"
    assert [f for _, f in store.findings() if f.rule == "t3_across_years"] == []
    assert ingest_file(second, store).status == "added"
    found = [(meta["year"], f.message) for meta, f in store.findings() if f.rule == "t3_across_years"]
    assert found == [(2020, ACROSS)]


def test_across_years_finding_goes_when_the_earlier_report_is_replaced(store, two_years, tmp_path):
    year_2019, year_2020 = two_years
    ingest_file(year_2019, store)
    ingest_file(year_2020, store)
    fixed = tmp_path / "qiaotouhu_2019_fixed.txt"  # 2019 now carries 0 forward, like 2020 says
    fixed.write_text(year_2019.read_text(encoding="utf-8").replace(
        "四、结转下年度继续办理\n\t7\n\t0\n\t0\n\t0\n\t0\n\t0\n\t7",
        "四、结转下年度继续办理\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0"), encoding="utf-8")
    assert fixed.read_text(encoding="utf-8") != year_2019.read_text(encoding="utf-8")
    assert ingest_file(fixed, store).status == "replaced"
    assert [f for _, f in store.findings() if f.rule == "t3_across_years"] == []
