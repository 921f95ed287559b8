"""Cell values as written, and how a row's values are placed on the template's columns (ingest.values)."""
from __future__ import annotations

import pytest

from ingest.values import candidate_splits, parse_value, place_row, row_check_t3, row_check_t4


# --- parse_value ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["无", "无。", "零", "没有"])
def test_none_stated_in_words_is_zero(text):
    cell = parse_value(text)
    assert (cell.value, cell.status) == (0.0, "ok")


@pytest.mark.parametrize("text", ["", "   ", "\u3000", "/", "／", "—", "——", "-", "－"])
def test_blank_or_dash_is_not_stated(text):
    cell = parse_value(text)
    assert cell.value is None
    assert cell.status == "blank"
    assert cell.warning is None


@pytest.mark.parametrize("text, value, unit", [
    ("245万元", 245.0, "万元"),
    ("517200元", 517200.0, "元"),
    ("1.5亿元", 1.5, "亿元"),
    ("-3", -3.0, None),
    ("－3", -3.0, None),
    ("12.5275", 12.5275, None),
    ("1,234", 1234.0, None),
    ("22（其中修订 16 件）", 22.0, None),
    ("22(其中修订16件)", 22.0, None),
    ("18件", 18.0, None),  # a count unit is not a money unit: not stored
    ("１２", 12.0, None),  # full-width digits
])
def test_numbers_as_written(text, value, unit):
    cell = parse_value(text)
    assert (cell.value, cell.unit, cell.status, cell.warning) == (value, unit, "ok", None)
    assert cell.raw == text.strip()


@pytest.mark.parametrize("text", ["见附件", "abc", "约20", "3 4", "2019年"])
def test_text_that_is_not_one_number_is_unknown_with_a_warning(text):
    cell = parse_value(text)
    assert cell.value is None
    assert cell.status == "unknown"
    assert text in cell.warning


# --- place_row: as many cells as columns -----------------------------------------------------------------------
def test_exact_columns_are_read_as_written():
    placed = place_row(["1", "无", "", "—", "5"], 5)
    assert [p.value for p in placed] == [1.0, 0.0, None, None, 5.0]
    assert [p.status for p in placed] == ["ok", "ok", "blank", "blank", "ok"]
    assert all(p.warning is None for p in placed)


def test_trailing_surplus_blank_cells_are_dropped():
    placed = place_row(["3", "0", "0", "0", "0", "0", "3", "", ""], 7, row_check_t3)
    assert [p.value for p in placed] == [3, 0, 0, 0, 0, 0, 3]
    assert all(p.status == "ok" for p in placed)


def test_leading_empty_cell_from_a_spilled_label_is_dropped():
    placed = place_row(["", "2", "0", "2"], 3)
    assert [p.value for p in placed] == [2, 0, 2]


def test_cells_missing_their_separator_are_split_on_spaces():
    placed = place_row(["1 2", "3"], 3)
    assert [p.value for p in placed] == [1, 2, 3]
    assert all("缺少分隔" in p.warning for p in placed)


# --- place_row: values run together ----------------------------------------------------------------------------
def test_run_together_row_split_by_its_total():
    placed = place_row(["230 000023"], 7, row_check_t3)
    assert [p.value for p in placed] == [23, 0, 0, 0, 0, 0, 23]
    assert all(p.status == "ok" for p in placed)
    assert all("23 / 0 / 0 / 0 / 0 / 0 / 23" in p.warning for p in placed)


def test_run_together_row_without_spaces_split_by_its_total():
    placed = place_row(["1100002"], 7, row_check_t3)
    assert [p.value for p in placed] == [1, 1, 0, 0, 0, 0, 2]


def test_ambiguous_split_is_unknown_with_a_warning():
    # 1 10 0 0 0 0 11 and 11 0 0 0 0 0 11 both add up
    assert len(candidate_splits(["110000011"], 7, row_check_t3)) == 2
    placed = place_row(["110000011"], 7, row_check_t3)
    assert all(p.status == "unknown" and p.value is None for p in placed)
    assert all("110000011" in p.warning and "多种方式" in p.warning for p in placed)


def test_run_together_row_that_does_not_add_up_is_unknown():
    placed = place_row(["0000001"], 7, row_check_t3)
    assert all(p.status == "unknown" and p.value is None for p in placed)
    assert "无法拆分" in placed[0].warning


def test_pdf_row_with_dropped_blank_cells_keeps_only_its_total():
    placed = place_row(["26", "26"], 7, row_check_t3, has_total=True)
    assert placed[-1].value == 26 and placed[-1].status == "ok"
    assert all(p.status == "unknown" and p.value is None for p in placed[:-1])
    assert "少于 7 列" in placed[0].warning
    # the same values on one text line
    assert [p.value for p in place_row(["26 26"], 7, row_check_t3, has_total=True)] == [None] * 6 + [26.0]


def test_dropped_blanks_without_a_total_column_are_unknown():
    placed = place_row(["26", "26"], 7, row_check_t3)
    assert all(p.status == "unknown" for p in placed)


def test_table4_fifteen_zero_digits_in_one_run():
    placed = place_row(["000000000000000"], 15, row_check_t4)
    assert [p.value for p in placed] == [0.0] * 15
    assert all(p.status == "ok" for p in placed)


def test_table4_run_with_one_case_per_group():
    # 复议: 1 0 0 0 1; 直接起诉: 0 1 0 0 1; 复议后起诉: 0 0 0 0 0
    placed = place_row(["100010100100000"], 15, row_check_t4)
    assert [p.value for p in placed] == [1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0]


def test_table2_run_together_without_a_check_is_unknown():
    """2019 table 二 (行政许可 3960181 for 上一年项目数量 / 本年增减 / 处理决定数量) has no arithmetic to decide by."""
    placed = place_row(["3960181"], 3)
    assert all(p.status == "unknown" and p.value is None for p in placed)
    assert "3960181" in placed[0].warning


def test_unknown_is_never_zero():
    for placed in (place_row(["110000011"], 7, row_check_t3), place_row(["3960181"], 3),
                   place_row(["26", "26"], 7, row_check_t3, has_total=True)):
        assert all(p.value is None for p in placed if p.status == "unknown")


def test_row_of_text_cells_is_unknown():
    placed = place_row(["见说明", "另附"], 3)
    assert all(p.status == "unknown" for p in placed)
    assert "与模板的 3 列对不上" in placed[0].warning
