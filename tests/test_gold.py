"""The evaluation command on both gold files: the seeds over data/reports, and the questions written from the
four real reports over tests/fixtures/real. Every question must pass."""
from __future__ import annotations

import pytest

from bot.cli import eval_main
from ingest.cli import main as ingest_main
from tests.conftest import GOLD, ROOT

REAL_GOLD = ROOT / "tests" / "fixtures" / "gold" / "real_gold.jsonl"


@pytest.mark.parametrize("reports, gold", [
    (ROOT / "data" / "reports", GOLD),
    (ROOT / "tests" / "fixtures" / "real", REAL_GOLD),
], ids=["seeds", "real"])
def test_every_gold_question_passes(tmp_path, capsys, reports, gold):
    config = tmp_path / "config.toml"
    config.write_text(f'[paths]\nreports = "{reports}"\ndatabase = "db.sqlite"\nindex = "idx"\n', encoding="utf-8")
    assert ingest_main(["--config", str(config), "--no-index", "--quiet"]) == 0
    capsys.readouterr()
    status = eval_main(["--config", str(config), str(gold)])
    output = capsys.readouterr().out
    assert "✗" not in output, output
    assert status == 0, output
    assert f"总计 {sum(1 for line in gold.read_text(encoding='utf-8').splitlines() if line.strip())}/" in output


def test_a_follow_up_gold_item_is_asked_after_the_questions_before_it(tmp_path, capsys):
    """``after``: the chat the item is asked in (gold S18 and the README: 东柳街道 2020 received 0, 桥头胡街道 18)."""
    import json

    gold = tmp_path / "followup.jsonl"
    gold.write_text("\n".join(json.dumps(item, ensure_ascii=False) for item in [
        {"id": "T1", "after": ["桥头胡街道2020年收到多少申请"], "question": "那东柳街道呢？", "kind": "numeric",
         "org": "东柳街道", "year": 2020, "expect": {"value": 0}},
        {"id": "T2", "after": ["东柳街道2020年收到多少申请", "那桥头胡街道呢？"], "question": "按自然人呢",
         "kind": "numeric", "org": "桥头胡街道", "year": 2020, "expect": {"value": 18}},
        {"id": "T3", "question": "那东柳街道呢？", "kind": "none", "expect": {"found": False}},  # no chat before
    ]) + "\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'[paths]\nreports = "{ROOT / "data" / "reports"}"\ndatabase = "db.sqlite"\nindex = "idx"\n',
                      encoding="utf-8")
    assert ingest_main(["--config", str(config), "--no-index", "--quiet"]) == 0
    capsys.readouterr()
    status = eval_main(["--config", str(config), "--strict", str(gold)])
    output = capsys.readouterr().out
    assert status == 0 and "总计 3/3" in output, output
