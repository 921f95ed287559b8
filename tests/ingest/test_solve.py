"""The splitter and the table solver on hand-written rows (ingest.solve)."""
from __future__ import annotations

from ingest.solve import expand_repeats, solve, splits
from ingest.values import row_check_t3, row_check_t4


def _flow(columns: int = 7):
    return [(("new_received", "carried_over"), ("total", "carried_forward"), c) for c in range(columns)]


def test_a_number_never_starts_with_zero_and_space_is_a_boundary():
    assert splits(["0", "03"], 3) == [("0", "0", "3")]
    assert splits(["160", "02", "0", "018"], 7, row_check_t3) == [("16", "0", "0", "2", "0", "0", "18")]


def test_a_sign_starts_the_first_cell_of_its_run():
    assert splits(["1", "-10"], 3) == [("1", "-1", "0")]


def test_a_decimal_or_a_unit_is_one_cell():
    assert splits(["4", "8.175万元"], 2) == [("4", "8.175万元")]


def test_too_many_ways_is_none_not_a_guess():
    assert splits(["1" * 30], 7, limit=5) is None


def test_digits_as_many_as_cells_are_read_as_printed_even_when_they_do_not_add_up():
    solved = solve({"new_received": ("5100000",)}, 7, row_check_t3)["new_received"]
    assert solved.cells == ("5", "1", "0", "0", "0", "0", "0") and solved.how == "split"


def test_the_row_total_picks_the_one_split():
    solved = solve({"new_received": ("21710000218",)}, 7, row_check_t3)["new_received"]
    assert solved.cells == ("217", "1", "0", "0", "0", "0", "218") and solved.how == "arithmetic"


def test_table_four_groups_pick_the_split():
    solved = solve({"all": ("21317000001324019",)}, 15, row_check_t4)["all"]
    assert solved.cells == ("2", "1", "3", "1", "7", "0", "0", "0", "0", "0", "13", "2", "4", "0", "19")


def test_rows_the_column_rules_cannot_tell_apart_stay_unknown():
    # 一 = （七） = 18, 二 and 四 both "110000011": 二 = 四 either way, so both readings balance
    rows = {"new_received": ("180000018",), "total": ("180000018",),
            "carried_over": ("110000011",), "carried_forward": ("110000011",)}
    solved = solve(rows, 7, row_check_t3, _flow())
    for key in ("carried_over", "carried_forward"):
        assert solved[key].cells is None and solved[key].how == "unknown"
        assert "110000011" in solved[key].note and "2 种" in solved[key].note


def test_one_open_row_is_settled_by_the_columns():
    rows = {"new_received": ("180000018",), "carried_over": ("0000000",), "carried_forward": ("7000007",),
            "total": ("110000011",)}
    solved = solve(rows, 7, row_check_t3, _flow())
    assert solved["total"].cells == ("11", "0", "0", "0", "0", "0", "11") and solved["total"].how == "columns"


def test_too_few_numbers_give_the_total_alone():
    solved = solve({"new_received": ("46", "0", "46")}, 7, row_check_t3)["new_received"]
    assert solved.how == "total_only" and solved.total == "46" and solved.cells is None


def test_collapsed_repeats_are_expanded_only_where_the_document_drops_repeated_lines():
    assert expand_repeats(["46", "0", "46"], 7, row_check_t3) == [("46", "0", "0", "0", "0", "0", "46")]
    assert expand_repeats(["0"], 7, row_check_t3) == [("0",) * 7]
    assert expand_repeats(["5", "5"], 7, row_check_t3) == []  # two equal neighbours were never collapsed
    solved = solve({"new_received": ("46", "0", "46")}, 7, row_check_t3, collapsed=True)["new_received"]
    assert solved.cells == ("46", "0", "0", "0", "0", "0", "46") and solved.how == "repeats"


def test_a_source_that_does_not_add_up_takes_the_split_that_breaks_fewest_rules():
    # （七）总计 "191000019" has no split that adds up; the outcome rows (8|1 … and 11|0 …) say 19|1|0|0|0|0|19
    rows = {"new_received": ("190000019",), "carried_over": ("0000000",), "carried_forward": ("0000000",),
            "disclosed": ("110000011",), "partially_disclosed": ("8100008",), "total": ("191000019",)}
    equations = _flow() + [(("total",), ("disclosed", "partially_disclosed"), c) for c in range(7)]
    solved = solve(rows, 7, row_check_t3, equations)
    assert solved["total"].cells == ("19", "1", "0", "0", "0", "0", "19")


def test_a_stated_cell_is_never_cut_and_a_blank_one_never_filled_in():
    # a table row "18<tab>0<tab>0<tab><tab>0<tab>0<tab>18" lost its blank cell in the stream: six whole cells
    tokens = ("=18", "=0", "=0", "=0", "=0", "=18")
    assert splits(tokens, 7) == []
    rows = {"new_received": tokens, "carried_over": ("0000000",), "total": ("180000018",), "carried_forward": ("0000000",)}
    solved = solve(rows, 7, row_check_t3, _flow())
    assert solved["new_received"].cells is None and solved["new_received"].total == "18"


def test_a_run_one_number_short_is_completed_only_where_the_columns_give_every_cell():
    rows = {"new_received": ("0", "00000"), "carried_over": ("0000000",), "total": ("0000000",),
            "carried_forward": ("0000000",)}
    solved = solve(rows, 7, row_check_t3, _flow())
    assert solved["new_received"].cells == ("0",) * 7 and solved["new_received"].how == "columns"


def test_stream_marks_a_tab_between_numbers_as_a_cell_boundary():
    from ingest.stream import fold, tokens_of, value_run

    stream = fold("本年新收\t18\t0\t\t0\t18\n上年结转 0 00000")
    run = value_run(stream.text, stream.text.index("18"), len(stream.text))
    assert tokens_of(run.text) == ["=18", "=0", "=0", "=18"]
    second = value_run(stream.text, stream.text.index("上年结转") + 4, len(stream.text))
    assert tokens_of(second.text) == ["0", "00000"]


def test_signs_glued_between_digits_cut_one_run_and_white_space_still_separates():
    from ingest.stream import tokens_of

    # 行政许可0+11 (上一年项目数量, 本年增/减, 处理决定数量): the sign opens the second cell, the rest is cut once
    assert tokens_of("0+11") == ["0+11"]
    solved = solve({"licensing": tuple(tokens_of("0+11"))}, 3, None, ())["licensing"]
    assert solved.cells == ("0", "+1", "1")
    assert solve({"licensing": tuple(tokens_of("1-10"))}, 3, None, ())["licensing"].cells == ("1", "-1", "0")
    # written apart, two numbers for three columns are not cut up without a rule
    assert tokens_of("0 +11") == ["0", "+11"]
    assert solve({"licensing": tuple(tokens_of("0 +11"))}, 3, None, ())["licensing"].cells is None
