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
