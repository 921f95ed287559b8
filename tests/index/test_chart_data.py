"""What an aggregate answer hands the chart: bars for a ranking or comparison, in the answer's order, and no chart
for a single number (gold S18 and S32: 东柳街道 0 and 桥头胡街道 18 new requests in 2020)."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("question", ["2020年各街道收到申请排名", "2020年哪个街道收到申请最多",
                                      "桥头胡街道和东柳街道2020年收到申请对比"])
def test_a_ranking_or_comparison_is_drawn_as_bars_in_the_answers_order(answerer, question):
    answer = answerer.answer(question)
    chart = answer.chart
    assert chart is not None and chart.kind == "bar", answer.answer
    assert chart.points == (("桥头胡街道", 18), ("东柳街道", 0))
    assert chart.unit == "件" and "2020年" in chart.title and "申请" in chart.title
    assert len(chart.sources) == 2 and all(s.startswith("《") for s in chart.sources)
    assert answer.to_json()["chart"]["points"] == [["桥头胡街道", 18], ["东柳街道", 0]]


@pytest.mark.parametrize("question", ["桥头胡街道2020年收到多少申请", "东柳街道历年收到多少申请",
                                      "东柳街道有哪些改进措施"])
def test_one_number_or_a_passage_has_no_chart(answerer, question):
    answer = answerer.answer(question)
    assert answer.chart is None
    assert "chart" not in answer.to_json() or answer.to_json()["chart"] is None
