"""One writer at a time, readers never write: a second ingest while one is writing says so in one line; listing
and checking never change the database file; a second run over the same folder leaves it byte for byte."""
from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import time

import pytest

from ingest.cli import main as ingest_main
from ingest.config import load_config
from ingest.store import Store
from tests.conftest import ROOT

HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


@pytest.fixture
def config_path(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    for path in sorted((ROOT / "data" / "reports").glob("*.txt"))[:3]:
        (reports / path.name).write_bytes(path.read_bytes())
    path = tmp_path / "config.toml"
    path.write_text(f'[paths]\nreports = "{reports.as_posix()}"\ndatabase = "db.sqlite"\nindex = "idx"\n',
                    encoding="utf-8")
    assert ingest_main(["--config", str(path), "--quiet", "--no-index"]) == 0
    return path


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_second_run_and_the_read_only_commands_leave_the_file_byte_for_byte(config_path):
    database = load_config(config_path).paths.database
    before = _digest(database)
    assert ingest_main(["--config", str(config_path), "--quiet", "--no-index"]) == 0
    assert ingest_main(["check", "--config", str(config_path)]) in (0, 1)
    from bot.listing import check_text, reports_text

    config = load_config(config_path)
    assert "桥头胡街道" in reports_text(config) and check_text(config, None, None)
    assert _digest(database) == before


def test_a_second_ingest_while_one_writes_is_one_line(config_path, monkeypatch, capsys):
    config = load_config(config_path)
    (config.paths.reports / "004.txt").write_bytes((ROOT / "data" / "reports" / "004_94c0c8a1a4856154.txt").read_bytes())
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(config.paths.database), "5"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setattr(Store, "LOCK_TIMEOUT", 0.5)
        started = time.monotonic()
        assert ingest_main(["--config", str(config_path), "--quiet", "--no-index"]) == 2
        assert time.monotonic() - started < 4
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "正被另一个入库进程写入" in err[0]
    finally:
        holder.wait()
    assert ingest_main(["--config", str(config_path), "--quiet", "--no-index"]) == 0  # after it: goes through
    conn = sqlite3.connect(config.paths.database)
    assert conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 4
    conn.close()


def test_a_file_is_said_to_be_stored_only_once_it_is_committed(config_path, monkeypatch):
    import ingest.cli as cli

    config = load_config(config_path)
    for path in sorted((ROOT / "data" / "reports").glob("*.txt"))[3:]:
        (config.paths.reports / path.name).write_bytes(path.read_bytes())
    seen: list[tuple[str, int]] = []

    def spy(write, outcome):
        other = sqlite3.connect(config.paths.database)  # what another process can read at that moment
        held = other.execute("SELECT COUNT(*) FROM reports WHERE source = ?", (outcome.path.name,)).fetchone()[0]
        other.close()
        seen.append((outcome.status, held))

    monkeypatch.setattr(cli, "_print", spy)
    assert ingest_main(["--config", str(config_path), "--quiet", "--no-index"]) == 0
    assert [status for status, _ in seen if status == "added"] == ["added", "added"]
    assert all(held == 1 for status, held in seen if status == "added")


def test_the_write_lock_is_held_only_while_rows_are_written(tmp_path, monkeypatch):
    """Files are read and parsed first and written together: whenever a file is read, another writer could take
    the lock at once (the write transaction lasts only for the rows), and what was parsed is stored."""
    import ingest.pipeline as pipeline

    reports = tmp_path / "reports"
    reports.mkdir()
    for path in sorted((ROOT / "data" / "reports").glob("*.txt")):
        (reports / path.name).write_bytes(path.read_bytes())
    config = tmp_path / "config.toml"
    config.write_text(f'[paths]\nreports = "{reports.as_posix()}"\ndatabase = "db.sqlite"\nindex = "idx"\n',
                      encoding="utf-8")
    real = pipeline.check_file
    free: list[bool] = []

    def reading(path, *args, **kwargs):
        other = sqlite3.connect(tmp_path / "db.sqlite", timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            free.append(True)
        except sqlite3.OperationalError:
            free.append(False)
        finally:
            other.close()
        return real(path, *args, **kwargs)

    monkeypatch.setattr(pipeline, "check_file", reading)
    assert ingest_main(["--config", str(config), "--quiet", "--no-index"]) == 0
    assert free == [True] * 5
    with Store(tmp_path / "db.sqlite", readonly=True) as store:
        assert store.counts()["reports"] == 5
