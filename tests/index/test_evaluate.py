"""Judging answers against gold items, reading gold files, and ``bot eval`` end to end on the seed questions."""
from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from index.evaluate import GoldItem, judge, load_gold, summarize, verdict
from index.model import Answer, Citation
from ingest.errors import NianbaoError
from tests.conftest import GOLD


def cite(org: str, year: int = 2020) -> Citation:
    return Citation(org, year, f"{org}{year}年报告", "report.txt", "表三", "一、本年新收 总计 18")


NUMERIC = GoldItem("N1", "桥头胡2020年收到多少申请", "numeric", "桥头胡街道", 2020, {"value": 18})
MONEY = GoldItem("N2", "柴桥2019年采购总金额", "numeric", "柴桥街道", 2019, {"value": 245, "unit": "万元"})
AGGREGATE = GoldItem("A1", "2019年哪个街道收到的申请最多", "aggregate", None, 2019, {"value": 3, "org": "左家庄街道"})
NARRATIVE = GoldItem("T1", "东柳街道存在哪些问题", "narrative", "东柳街道", 2020,
                     {"must_contain": ["重视程度有待提高", "主动意识有待提高"]})
NONE = GoldItem("X1", "今天天气怎么样", "none", None, None, {"found": False})


@pytest.mark.parametrize("item, answer", [
    (NUMERIC, Answer(NUMERIC.question, "numeric", "18 件", 18.0, "件", "桥头胡街道", 2020, (cite("桥头胡街道"),))),
    (MONEY, Answer(MONEY.question, "numeric", "245 万元", 245, "万元", "柴桥街道", 2019, (cite("柴桥街道", 2019),))),
    (AGGREGATE, Answer(AGGREGATE.question, "aggregate", "左家庄街道 3 件", 3.0, "件", "左家庄街道", 2019,
                       (cite("左家庄街道", 2019), cite("柴桥街道", 2019)))),
    (NARRATIVE, Answer(NARRATIVE.question, "narrative", "一是重视程度有待提高。二是主动意识有待提高。",
                       citations=(cite("东柳街道"),))),
    (NONE, Answer(NONE.question, "none", "这个问题不在年度报告的范围内。")),
], ids=["numeric", "numeric with unit", "aggregate", "narrative", "none"])
def test_judge_passes(item, answer):
    assert judge(item, answer) == []


@pytest.mark.parametrize("item, answer, reason", [
    (NUMERIC, Answer(NUMERIC.question, "numeric", "17 件", 17.0, "件", "桥头胡街道", 2020, (cite("桥头胡街道"),)),
     "value"),
    (NUMERIC, Answer(NUMERIC.question, "numeric", "未填写", None, None, "桥头胡街道", 2020, (cite("桥头胡街道"),)),
     "value"),
    (NUMERIC, Answer(NUMERIC.question, "numeric", "18 件", 18.0, "件", "东柳街道", 2020, (cite("东柳街道"),)),
     "citation of 桥头胡街道"),
    (MONEY, Answer(MONEY.question, "numeric", "245", 245.0, None, "柴桥街道", 2019, (cite("柴桥街道", 2019),)),
     "unit"),
    (AGGREGATE, Answer(AGGREGATE.question, "aggregate", "柴桥街道 3 件", 3.0, "件", "柴桥街道", 2019,
                       (cite("柴桥街道", 2019),)), "org"),
    (AGGREGATE, Answer(AGGREGATE.question, "aggregate", "左家庄街道 3 件", 3.0, "件", "左家庄街道", 2019), "citations"),
    (NARRATIVE, Answer(NARRATIVE.question, "narrative", "一是重视程度有待提高。", citations=(cite("东柳街道"),)),
     "主动意识有待提高"),
    (NARRATIVE, Answer(NARRATIVE.question, "narrative", "一是重视程度有待提高。二是主动意识有待提高。",
                       citations=(cite("王家街道", 2019),)), "citation of 东柳街道"),
    (NONE, Answer(NONE.question, "numeric", "18 件", 18.0, "件", "桥头胡街道", 2020), "not-found"),
    (NONE, Answer(NONE.question, "none", "没有找到", 0.0), "not-found"),
], ids=["numeric wrong value", "numeric blank for a number", "numeric wrong body", "numeric missing unit",
        "aggregate wrong first", "aggregate no citations", "narrative missing phrase", "narrative wrong body",
        "none answered", "none with a value"])
def test_judge_fails_with_a_reason(item, answer, reason):
    reasons = judge(item, answer)
    assert reasons
    assert any(reason in r for r in reasons), reasons


def test_summarize_counts_right_wrong_refused_and_missed_per_kind():
    results = [(NUMERIC, "right"), (NUMERIC, "wrong"), (NUMERIC, "refused"), (NONE, "right"), (NARRATIVE, "missed")]
    summary = summarize(results)
    assert summary["numeric"] == {"right": 1, "wrong": 1, "refused": 1, "missed": 0, "total": 3}
    assert summary["none"]["right"] == 1 and summary["narrative"]["missed"] == 1


@pytest.mark.parametrize("item, answer, outcome", [
    (NUMERIC, Answer(NUMERIC.question, "numeric", "17 件", 17.0, "件", "桥头胡街道", 2020), "wrong"),
    (NUMERIC, Answer(NUMERIC.question, "numeric", "无法确定", None, None, "桥头胡街道", 2020), "refused"),
    (NONE, Answer(NONE.question, "numeric", "18 件", 18.0, "件", "桥头胡街道", 2020), "wrong"),
    (NARRATIVE, Answer(NARRATIVE.question, "none", "没有写到"), "refused"),
    (NARRATIVE, Answer(NARRATIVE.question, "narrative", "一是…", citations=(cite("王家街道", 2019),)), "missed"),
], ids=["a number not the gold one", "no number where one is due", "a number where there is none",
        "a text question not answered", "a phrase missing"])
def test_verdict_tells_a_wrong_number_from_a_refusal(item, answer, outcome):
    assert verdict(item, answer, judge(item, answer)) == outcome


def test_load_gold_reads_the_seed_file():
    items = load_gold(GOLD)
    assert len(items) == len([line for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()])
    assert len({item.id for item in items}) == len(items)
    first = items[0]
    assert (first.id, first.question, first.kind, first.org, first.year) == (
        "S01", "桥头胡2020年收到多少申请", "numeric", "桥头胡街道", 2020)
    assert first.expect["value"] == 18
    assert set(Counter(item.kind for item in items)) == {"numeric", "aggregate", "narrative", "none"}


def test_load_gold_skips_blank_lines(tmp_path):
    path = tmp_path / "gold.jsonl"
    line = json.dumps({"id": "X", "question": "今天天气怎么样", "kind": "none"}, ensure_ascii=False)
    path.write_text(f"\n{line}\n\n", encoding="utf-8")
    [item] = load_gold(path)
    assert (item.id, item.org, item.year, item.expect) == ("X", None, None, {})


GOOD_LINE = json.dumps({"id": "G1", "question": "桥头胡2020年收到多少申请", "kind": "numeric", "expect": {"value": 18}},
                       ensure_ascii=False)


@pytest.mark.parametrize("bad_line", [
    '{"id": "B1", "question": "桥头胡2020年收到多少申请", "kind": "numeric",',  # cut off
    '{"id": "B1", "kind": "numeric"}',  # no question
    "not json at all",
    '["B1", "桥头胡2020年收到多少申请", "numeric"]',
    "null",
], ids=["cut off", "no question", "not json", "json array", "json null"])
def test_load_gold_names_the_bad_line(tmp_path, bad_line):
    path = tmp_path / "gold.jsonl"
    path.write_text(f"{GOOD_LINE}\n\n{bad_line}\n{GOOD_LINE}\n", encoding="utf-8")
    with pytest.raises(NianbaoError) as raised:
        load_gold(path)
    message = str(raised.value)
    assert "第 3 行" in message
    assert str(path) in message


def test_load_gold_missing_file(tmp_path):
    with pytest.raises(NianbaoError, match="nothing.jsonl"):
        load_gold(tmp_path / "nothing.jsonl")


def test_load_gold_not_utf8(tmp_path):
    path = tmp_path / "gbk.jsonl"
    path.write_bytes(GOOD_LINE.encode("gb18030"))
    with pytest.raises(NianbaoError, match="gbk.jsonl"):
        load_gold(path)


# --- bot eval end to end ----------------------------------------------------------------------------------------

def test_bot_eval_on_the_seed_questions(store_config, capsys):
    from bot.cli import eval_main

    assert eval_main(["--config", str(store_config), str(GOLD)]) == 0
    out = capsys.readouterr().out
    kinds = Counter(item.kind for item in load_gold(GOLD))
    for kind, total in kinds.items():
        assert re.search(rf"^{kind}\s+答对 {total}/{total} .*答错 0\s+拒答 0", out, re.M), out
    assert f"总计 {sum(kinds.values())}/{sum(kinds.values())} 通过" in out
    assert "✗" not in out


def test_bot_eval_reports_a_failing_item(store_config, tmp_path, capsys):
    from bot.cli import eval_main

    wrong = {"id": "W1", "question": "桥头胡2020年收到多少申请", "kind": "numeric", "org": "桥头胡街道", "year": 2020,
             "expect": {"value": 17}}
    path = tmp_path / "wrong.jsonl"
    path.write_text(GOOD_LINE + "\n" + json.dumps(wrong, ensure_ascii=False) + "\n", encoding="utf-8")
    assert eval_main(["--config", str(store_config), str(path)]) == 1  # a wrong number: exit 1
    out = capsys.readouterr().out
    assert "✗ W1 [numeric] 答错" in out
    assert re.search(r"^numeric\s+答对 1/2 .*答错 1\s+拒答 0", out, re.M), out
    assert "答错 1，拒答 0" in out


def test_bot_eval_exits_zero_on_refusals_unless_strict(store_config, tmp_path, capsys):
    from bot.cli import eval_main

    refused = {"id": "R1", "question": "桥头胡2020年的员工人数是多少", "kind": "numeric", "org": "桥头胡街道",
               "year": 2020, "expect": {"value": 30}}
    path = tmp_path / "refused.jsonl"
    path.write_text(json.dumps(refused, ensure_ascii=False) + "\n", encoding="utf-8")
    assert eval_main(["--config", str(store_config), str(path)]) == 0
    assert "拒答 1" in capsys.readouterr().out
    assert eval_main(["--config", str(store_config), "--strict", str(path)]) == 1
