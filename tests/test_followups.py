"""Follow-up questions in a chat (tests/fixtures/gold/followup_gold.jsonl, each answer read from the report files by
eye): each item asked after the questions of its ``after``, over one store of the samples, the four real reports and
the wild corpus. No answer may state a wrong number, and at least 95% are right."""
from __future__ import annotations

import shutil

import pytest

from bot.cli import _asked
from index.evaluate import judge, load_gold, verdict
from index.service import Answerer
from ingest.cli import main as ingest_main
from ingest.config import load_config
from tests.conftest import REAL, ROOT, SAMPLES

GOLD = ROOT / "tests" / "fixtures" / "gold" / "followup_gold.jsonl"
WILD = ROOT / "tests" / "fixtures" / "wild" / "reports"
SHARED = ROOT.parent / "shared" / "reports" / "wild"


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("followups")
    reports = folder / "reports"
    reports.mkdir()
    files = SAMPLES + REAL + sorted(WILD.glob("*.txt")) + (sorted(SHARED.glob("*.pdf")) if SHARED.is_dir() else [])
    for path in files:
        shutil.copy(path, reports / path.name)
    config = folder / "config.toml"
    config.write_text(f'[paths]\nreports = "{reports}"\ndatabase = "db.sqlite"\nindex = "idx"\n', encoding="utf-8")
    ingest_main(["--config", str(config), "--no-index", "--quiet"])  # (an excerpt whose report is a PDF of ../shared
    service = Answerer(load_config(config), dense=False)              # is refused without it: the rest is stored)
    try:
        found = {}
        for item in load_gold(GOLD):
            answer = _asked(service, item, None)
            found[item.id] = (verdict(item, answer, judge(item, answer)), item.question, answer.answer[:160])
        return found
    finally:
        service.close()


def test_no_follow_up_states_a_wrong_number(outcomes):
    wrong = {k: v for k, v in outcomes.items() if v[0] == "wrong"}
    assert not wrong, "\n".join(f"{k} {q} -> {a}" for k, (_, q, a) in wrong.items())


def test_at_least_95_percent_of_follow_ups_are_right(outcomes):
    right = sum(1 for v in outcomes.values() if v[0] == "right")
    assert len(outcomes) >= 60
    assert right / len(outcomes) >= 0.95, f"{right}/{len(outcomes)} right"
