"""Issue 11's hostile files (tests/ingest/hostile.py), each a few MB at most that asks a reader for gigabytes or
minutes: through ``python -m ingest`` each is one ✗ line, within 30 s and a parsing child of at most 1 GB beyond
its start, the report beside them is stored, and the store is left byte for byte as it was."""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT
from tests.ingest.hostile import HOSTILE

SAMPLE = ROOT / "data" / "reports" / "002_c98c7a4ac036b6ca.txt"
MESSAGES = {  # what each line says, in the reader's words
    "zip_bomb.docx": "内存超过",
    "flate_bomb.pdf": "解压后过大",
    "many_pages.pdf": "5,000 页",
    "nested.html": "个标签",
    "huge_span.docx": "横跨 50,000,000 列",
    "billion_laughs.docx": "无法读取",
    "huge.txt": "超过 30 MB 上限",
}


def _ingest(config, *paths) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "ingest", "--config", str(config), "--no-index", *map(str, paths)],
                          capture_output=True, text=True, cwd=ROOT, env=dict(os.environ, HF_HUB_OFFLINE="1"),
                          timeout=600)
    return done, time.monotonic() - started


@pytest.mark.slow
def test_each_hostile_file_is_one_line_within_limits_and_changes_nothing(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(SAMPLE, reports / SAMPLE.name)
    config = tmp_path / "config.toml"
    config.write_text('[paths]\nreports = "reports"\ndatabase = "db.sqlite"\nindex = "idx"\n', encoding="utf-8")
    done, _ = _ingest(config)
    assert done.returncode == 0, done.stderr
    before = (tmp_path / "db.sqlite").read_bytes()

    hostile = tmp_path / "hostile"
    hostile.mkdir()
    for name, make in HOSTILE.items():
        (hostile / name).write_bytes(make())
    with open(hostile / "huge.txt", "wb") as big:  # 6 GB that takes no disk: refused before it is read
        big.truncate(6 * 2**30)
    for name, words in MESSAGES.items():
        done, seconds = _ingest(config, hostile / name)
        failed = [line for line in done.stdout.splitlines() + done.stderr.splitlines() if line.startswith("✗")]
        assert len(failed) == 1 and name in failed[0] and words in failed[0], (name, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr, done.stderr
        assert seconds < 30, (name, seconds)
        assert (tmp_path / "db.sqlite").read_bytes() == before, name
    # the largest process this test waited on, parsing children included (the CLI forks one per run)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_mb < 1024 + 600, peak_mb  # the limit is 1 GB beyond what the child maps when it starts

    # and among the report files of a folder, the other files are stored
    shutil.copytree(hostile, reports, dirs_exist_ok=True, ignore=shutil.ignore_patterns("huge.txt"))
    (reports / SAMPLE.name).unlink()
    shutil.copy(ROOT / "data" / "reports" / "001_785ebbaa410aaa3a.txt", reports)
    done, seconds = _ingest(config)
    assert "新增 1" in done.stdout and done.stdout.count("✗") + done.stderr.count("✗") == len(HOSTILE), done.stdout


def test_a_report_nested_a_hundred_thousand_deep_is_read_as_the_same_report():
    """Depth alone is no reason to refuse: the page's reading walks a stack, not the call stack, and finds the
    report's element in one pass (asking each element for its text was quadratic)."""
    from ingest.report import parse_bytes

    text = SAMPLE.read_text(encoding="utf-8")
    lines = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
    depth = 100_000
    page = f"<html><body>{'<div>' * depth}{lines}{'</div>' * depth}</body></html>".encode()
    started = time.monotonic()
    nested = parse_bytes(page, "nested.html")
    assert time.monotonic() - started < 30
    plain = parse_bytes(f"<html><body>{lines}</body></html>".encode(), "plain.html")
    assert (nested.body, nested.year, nested.cells) == (plain.body, plain.year, plain.cells)
    assert nested.body == "桥头胡街道" and len(nested.cells) > 100
