"""Numbers through the Answerer: one cell, sums of rows, blank versus 无, units, findings; and the aggregates
(sums, largest, rankings, comparisons, trends) over the sample store."""
from __future__ import annotations

import re

import pytest

from index.numeric import shown


def assert_cites(answer, org, year):
    assert answer.citations, answer.answer
    assert {(c.org, c.year) for c in answer.citations} == {(org, year)}


def test_received_applications(answerer):
    answer = answerer.answer("桥头胡2020年收到多少申请")
    assert answer.kind == "numeric"
    assert answer.value == 18
    assert answer.unit == "件"
    assert (answer.org, answer.year) == ("桥头胡街道", 2020)
    assert_cites(answer, "桥头胡街道", 2020)
    assert "总计 18" in answer.citations[0].text
    assert "18" in answer.answer
    assert answer.citations[0].file.endswith("002_c98c7a4ac036b6ca.txt")


def test_cell_reading_wu_is_zero(answerer, conn):
    answer = answerer.answer("东柳2020收到多少申请")
    assert (answer.kind, answer.value, answer.org) == ("numeric", 0, "东柳街道")
    assert "总计 0" in answer.citations[0].text
    raw = conn.execute("SELECT c.raw FROM cells c JOIN reports r ON r.id = c.report_id WHERE r.body = '东柳街道'"
                       " AND c.tbl = '三' AND c.row_key = 'new_received' AND c.col_key = 'total'").fetchone()[0]
    assert raw == "无"


def test_blank_cells_are_not_zero(answerer):
    answer = answerer.answer("东柳街道2020年不予公开多少件")
    assert answer.kind == "numeric"
    assert answer.value is None
    assert answer.unit is None
    assert "未填写" in answer.answer
    assert re.search(r"(?<![\d.])0(?![\d.])", answer.answer) is None, answer.answer
    assert answer.citations and all(c.org == "东柳街道" for c in answer.citations)


def test_blank_applicant_columns_are_not_zero(answerer):
    # 柴桥 2019 states 自然人 2 and total 2, and leaves the five organisation columns blank
    answer = answerer.answer("柴桥街道2019年法人或其他组织提出了多少申请")
    assert answer.value is None
    assert "未填写" in answer.answer


def test_finding_is_passed_on_as_a_warning(answerer):
    answer = answerer.answer("左家庄2019年本机关不掌握相关政府信息的有几件")
    assert (answer.kind, answer.value, answer.org, answer.year) == ("numeric", 1, "左家庄街道", 2019)
    assert any("勾稽" in w and "不掌握" in w for w in answer.warnings), answer.warnings


def test_finding_is_not_attached_to_unrelated_cells(answerer):
    answer = answerer.answer("左家庄2019年收到几件申请")
    assert answer.value == 3
    assert not any("勾稽" in w for w in answer.warnings)


def test_amount_with_its_stated_unit(answerer):
    answer = answerer.answer("柴桥2019年政府集中采购总金额")
    assert (answer.value, answer.unit) == (245, "万元")
    assert "245万元" in answer.answer
    assert_cites(answer, "柴桥街道", 2019)


def test_amount_without_a_unit_says_so(answerer):
    answer = answerer.answer("东柳2020年采购总金额")
    assert answer.value == 169844
    assert answer.unit is None
    assert "169844" in answer.answer
    assert "未注明单位" in answer.answer


def test_negative_change(answerer):
    answer = answerer.answer("王家2019年行政许可本年增减多少")
    assert (answer.kind, answer.value, answer.org) == ("numeric", -3, "王家街道")


def test_group_of_rows_is_summed_and_says_so(answerer):
    answer = answerer.answer("桥头胡2020年行政诉讼多少件")
    assert answer.value == 1  # 未经复议直接起诉 1 + 复议后起诉 0
    assert "其中未经复议直接起诉1件、复议后起诉0件" in answer.answer  # the parts, in the template's order
    assert len(answer.citations) == 2


def test_applicant_columns_through_the_answerer(answerer):
    assert answerer.answer("柴桥2019年自然人申请了几件").value == 2
    assert answerer.answer("桥头胡街道2020年法人或其他组织提出了多少申请").value == 0


def test_no_year_takes_the_newest_report_and_says_so(answerer):
    answer = answerer.answer("桥头胡收到多少申请")
    assert (answer.value, answer.year) == (18, 2020)


def test_shown_values():
    assert shown(None, "件") == "未填"
    assert shown(245.0, "万元") == "245万元"
    assert "未注明单位" in shown(169844.0, None, money=True)


# --- aggregates -------------------------------------------------------------------------------------------------

def test_sum_over_streets(answerer):
    answer = answerer.answer("2020年各街道一共收到多少政府信息公开申请")
    assert (answer.kind, answer.value, answer.year) == ("aggregate", 18, 2020)
    assert {(c.org, c.year) for c in answer.citations} == {("东柳街道", 2020), ("桥头胡街道", 2020)}
    assert len(answer.citations) == 2


def test_sum_skips_blank_reports_and_names_them(answerer):
    answer = answerer.answer("2020年各街道不予公开一共多少件")
    assert answer.kind == "aggregate"
    assert answer.value == 0  # 桥头胡 states 0 in all eight rows; 东柳 leaves them blank
    assert {c.org for c in answer.citations} == {"桥头胡街道"}
    assert any("东柳街道" in w for w in answer.warnings)


def test_largest(answerer):
    answer = answerer.answer("2019年哪个街道收到的申请最多")
    assert (answer.kind, answer.org, answer.value) == ("aggregate", "左家庄街道", 3)
    assert {c.org for c in answer.citations} == {"柴桥街道", "王家街道", "左家庄街道"}


def test_smallest(answerer):
    answer = answerer.answer("2019年哪个街道收到的申请最少")
    assert (answer.org, answer.value) == ("王家街道", 0)


def test_largest_and_smallest_in_other_words(answerer):
    answer = answerer.answer("2019年哪个街道收到的政府信息公开申请最多")
    assert (answer.kind, answer.org, answer.value) == ("aggregate", "左家庄街道", 3)
    answer = answerer.answer("2019年收到申请最少的街道")
    assert (answer.kind, answer.org, answer.value) == ("aggregate", "王家街道", 0)


def test_ranking_top_two(answerer):
    answer = answerer.answer("2019年收到申请排名前两名的街道")
    assert answer.kind == "aggregate"
    assert [c.org for c in answer.citations] == ["左家庄街道", "柴桥街道"]
    assert answer.answer.index("左家庄街道") < answer.answer.index("柴桥街道")
    assert "王家街道" not in answer.answer


def test_comparison_of_two_bodies(answerer):
    answer = answerer.answer("对比柴桥和左家庄2019年收到的申请")
    assert answer.kind == "aggregate"
    assert {(c.org, c.year) for c in answer.citations} == {("柴桥街道", 2019), ("左家庄街道", 2019)}
    assert re.search(r"柴桥街道2019年 2件", answer.answer), answer.answer
    assert re.search(r"左家庄街道2019年 3件", answer.answer), answer.answer


def test_trend_of_one_body(answerer):
    answer = answerer.answer("王家街道历年收到的政府信息公开申请")
    assert (answer.kind, answer.org, answer.value) == ("aggregate", "王家街道", 0)
    assert {(c.org, c.year) for c in answer.citations} == {("王家街道", 2019)}
    assert "2019年" in answer.answer


def test_amounts_in_different_stated_units_are_added_in_wan_yuan_and_say_so(answerer):
    # 左家庄 115.6096 万元 + 柴桥 245 万元 + 王家 517200 元 (= 51.72 万元)
    answer = answerer.answer("2019年各街道政府集中采购总金额一共多少")
    assert answer.value == pytest.approx(412.3296) and answer.unit == "万元"
    assert "按万元折算" in answer.answer and "517200元" in answer.answer


def test_largest_amount_respects_units(answerer):
    answer = answerer.answer("2019年各街道采购金额最高的是")
    assert answer.kind == "aggregate"
    # 柴桥 245 万元 > 左家庄 115.6096 万元 > 王家 517200 元 (51.72 万元); refusing to rank would also be right
    assert answer.org == "柴桥街道" or answer.value is None, answer.answer


def test_amounts_without_stated_units_are_not_added(answerer):
    answer = answerer.answer("2020年各街道政府集中采购总金额一共多少")
    assert answer.value is None
