"""The phrasing sets (tests/fixtures/gold/phrasing_*.jsonl): questions asked as staff, journalists and citizens
would, each answer checked by reading the report, over the samples and the four real reports, and over the wild
corpus. No answer may state a wrong number, and together at least 95% are right.

The wild set's PDF reports are read from ../shared/reports/wild; where that folder is absent, the questions about
them are left out (and said so), the others still count."""
from __future__ import annotations

import json
import shutil

import pytest

from index.evaluate import judge, load_gold, verdict
from index.service import Answerer
from ingest.cli import main as ingest_main
from ingest.config import load_config
from tests.conftest import REAL, ROOT, SAMPLES

GOLD = ROOT / "tests" / "fixtures" / "gold"
WILD = ROOT / "tests" / "fixtures" / "wild" / "reports"
SHARED = ROOT.parent / "shared" / "reports" / "wild"


def _service(folder, files) -> Answerer:
    reports = folder / "reports"
    reports.mkdir()
    for path in files:
        shutil.copy(path, reports / path.name)
    config = folder / "config.toml"
    config.write_text(f'[paths]\nreports = "{reports}"\ndatabase = "db.sqlite"\nindex = "idx"\n', encoding="utf-8")
    assert ingest_main(["--config", str(config), "--no-index", "--quiet"]) == 0
    return Answerer(load_config(config), dense=False)


def _sources(line: str) -> set[str]:
    source = json.loads(line).get("source", {})
    return set(source.get("files", [])) | ({source["file"]} if source.get("file") else set())


def _run(service: Answerer, path, held: set[str]):
    lines = {json.loads(line)["id"]: line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    outcomes = {}
    for item in load_gold(path):
        if _sources(lines[item.id]) - held:
            continue  # about a report this checkout does not hold (a PDF of ../shared)
        answer = service.answer(item.question)
        outcomes[item.id] = (verdict(item, answer, judge(item, answer)), item.question, answer.answer[:160])
    return outcomes


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    samples = _service(tmp_path_factory.mktemp("phr_samples"), SAMPLES + REAL)
    wild_files = sorted(WILD.glob("*.txt")) + (sorted(SHARED.glob("*.pdf")) if SHARED.is_dir() else [])
    wild = _service(tmp_path_factory.mktemp("phr_wild"), wild_files)
    try:
        found = _run(samples, GOLD / "phrasing_samples.jsonl", {p.name for p in SAMPLES + REAL})
        found |= _run(wild, GOLD / "phrasing_wild.jsonl", {p.name for p in wild_files})
    finally:
        samples.close()
        wild.close()
    return found


def test_no_answer_states_a_wrong_number(outcomes):
    wrong = {k: v for k, v in outcomes.items() if v[0] == "wrong"}
    assert not wrong, "\n".join(f"{k} {q} -> {a}" for k, (_, q, a) in wrong.items())


def test_at_least_95_percent_are_right(outcomes):
    right = sum(1 for v in outcomes.values() if v[0] == "right")
    assert len(outcomes) >= 500  # both sets, the PDFs' questions aside at most
    assert right / len(outcomes) >= 0.95, f"{right}/{len(outcomes)} right"
