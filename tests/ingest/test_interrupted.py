"""A write killed mid-transaction (kill -9, the OOM killer) leaves a hot journal; the read path rolls it back and
answers from the store as it was, in a new process and in one already serving."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from index.service import Answerer
from ingest.cli import main as ingest_main
from ingest.config import load_config
from tests.conftest import ROOT

KILLED_WRITER = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size=1")  # the changes spill into the file before the commit that never comes
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE cells SET value = 999")
conn.execute("DELETE FROM passages")
os._exit(9)
"""


def test_an_ingest_killed_mid_transaction_does_not_stop_answering(tmp_path):
    config_path = tmp_path / "config.toml"
    config_path.write_text(f'[paths]\nreports = "{(ROOT / "data" / "reports").as_posix()}"\n'
                           'database = "db.sqlite"\nindex = "idx"\n', encoding="utf-8")
    assert ingest_main(["--config", str(config_path), "--quiet", "--no-index"]) == 0
    config = load_config(config_path)
    serving = Answerer(config, dense=False)
    assert serving.answer("桥头胡2020年收到多少申请").value == 18
    journal = Path(f"{config.paths.database}-journal")
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(config.paths.database)])
    assert journal.stat().st_size > 0  # hot: the file holds half a transaction
    fresh = subprocess.run([sys.executable, "-m", "bot", "ask", "--config", str(config_path), "--json",
                            "桥头胡2020年收到多少申请"], capture_output=True, text=True, cwd=ROOT)
    assert fresh.returncode == 0 and '"value": 18' in fresh.stdout, fresh.stderr  # a new process
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(config.paths.database)])
    assert journal.stat().st_size > 0
    assert serving.answer("桥头胡2020年收到多少申请").value == 18  # the process that was serving all along
    serving.close()


def _sample_store(tmp_path: Path) -> Path:
    reports = tmp_path / "reports"
    reports.mkdir()
    sample = ROOT / "data" / "reports" / "002_c98c7a4ac036b6ca.txt"
    (reports / sample.name).write_bytes(sample.read_bytes())
    config_path = tmp_path / "config.toml"
    config_path.write_text(f'[paths]\nreports = "{reports.as_posix()}"\ndatabase = "db.sqlite"\nindex = "idx"\n',
                           encoding="utf-8")
    assert ingest_main(["--config", str(config_path), "--quiet", "--no-index"]) == 0
    return config_path


def _ask(config_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", "ask", "--config", str(config_path), "--json",
                           "桥头胡2020年收到多少申请"], capture_output=True, text=True, cwd=ROOT, timeout=120)


def _killed_when_stored(command: list[str], database: Path, reports: int) -> None:
    """Run ``command`` and kill -9 it once the store holds more than ``reports`` reports."""
    import sqlite3
    import time

    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)
                held = conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
                conn.close()
            except sqlite3.OperationalError:
                held = 0
            if held > reports:
                break
            time.sleep(0.05)
        assert process.poll() is None, "finished before it could be killed"
    finally:
        process.kill()
        process.wait()


def test_a_real_ingest_killed_mid_batch_leaves_a_store_that_answers_and_the_next_run_completes(tmp_path):
    from benchmarks.corpus import generate

    config_path = _sample_store(tmp_path)
    corpus = generate(tmp_path / "corpus", 400, 3)
    _killed_when_stored([sys.executable, "-m", "ingest", "--config", str(config_path), "--quiet", "--no-index",
                         str(tmp_path / "corpus")], tmp_path / "db.sqlite", 60)
    asked = _ask(config_path)
    assert asked.returncode == 0 and '"value": 18' in asked.stdout, asked.stderr
    assert ingest_main(["--config", str(config_path), "--quiet", "--no-index", str(tmp_path / "corpus")]) == 0
    from ingest.store import Store

    with Store(tmp_path / "db.sqlite", readonly=True) as store:
        assert store.counts()["reports"] == len(corpus) + 1


UPLOADS = """
import sys
from pathlib import Path
from bot.admin import add_report
from ingest.config import load_config
config = load_config(sys.argv[1])
for path in sorted(Path(sys.argv[2]).iterdir()):  # the bot's upload path, one file after another
    add_report(config, path.read_bytes(), path.name, None)
"""


def test_a_bot_killed_mid_upload_leaves_a_store_that_answers(tmp_path):
    from benchmarks.corpus import generate

    config_path = _sample_store(tmp_path)
    generate(tmp_path / "uploads", 200, 5)
    _killed_when_stored([sys.executable, "-c", UPLOADS, str(config_path), str(tmp_path / "uploads")],
                        tmp_path / "db.sqlite", 20)
    asked = _ask(config_path)
    assert asked.returncode == 0 and '"value": 18' in asked.stdout, asked.stderr
    assert not [p for p in (tmp_path / "reports").iterdir() if p.name.startswith(".")]  # no half-moved upload


def test_the_parsing_children_of_a_killed_ingest_end_too(tmp_path):
    """kill -9 of python -m ingest leaves no parsing child behind (each waits for files from its parent)."""
    import os
    import time

    from benchmarks.corpus import generate

    config_path = _sample_store(tmp_path)
    generate(tmp_path / "corpus", 1000, 4)
    command = [sys.executable, "-m", "ingest", "--config", str(config_path), "--quiet", "--no-index", "--jobs", "2",
               str(tmp_path / "corpus")]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def children() -> list[int]:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == process.pid:
                found.append(int(stat.parent.name))
        return found

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(children()) < 2 and process.poll() is None:
        time.sleep(0.1)
    children = children()
    process.kill()
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in children):
        time.sleep(0.2)
    alive = [pid for pid in children if Path(f"/proc/{pid}").exists()
             and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()]
    for pid in alive:
        os.kill(pid, 9)
    assert children and not alive
