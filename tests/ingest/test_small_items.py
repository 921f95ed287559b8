"""The small things a careless operator or a hostile name runs into: each one clear line, nothing written where
it should not be."""
from __future__ import annotations

import os
import sqlite3

import pytest

from bot.admin import _free_path, safe_name
from bot.main import main as bot_main
from ingest.cli import main as ingest_main
from ingest.cli import summary_line
from ingest.pipeline import FileOutcome, ingest_file
from ingest.store import Store
from tests.conftest import ROOT

SAMPLE = ROOT / "data" / "reports" / "002_c98c7a4ac036b6ca.txt"


def test_a_long_or_bidi_upload_name_is_made_safe():
    long = safe_name("报" * 300 + ".docx")
    assert long.endswith(".docx") and len(long.encode("utf-8")) <= 200
    assert safe_name("evil\u202etxt.exe\n.docx") == "evil_txt.exe_.docx"
    assert safe_name("../../etc/passwd") == "passwd" and safe_name("...") == "report.txt"


def test_an_upload_never_writes_through_a_symlink(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").symlink_to(tmp_path / "elsewhere.txt")  # dangling
    target = _free_path(folder, "a.txt", b"data")
    assert target.name == "a-2.txt" and not target.is_symlink()


def test_a_name_with_a_newline_or_bidi_control_is_one_line_of_output(tmp_path):
    outcome = FileOutcome(tmp_path / "x\n\u202eevil.txt", "unchanged")
    assert "\n" not in summary_line(outcome) and "\u202e" not in summary_line(outcome)


def test_interrupted_between_a_commit_and_the_next_begin_leaves_no_error(tmp_path):
    with Store(tmp_path / "db.sqlite") as store:
        with pytest.raises(KeyboardInterrupt):
            with store.batch(every=1) as done:
                ingest_file(SAMPLE, store)
                store.conn.execute("COMMIT")  # as if Ctrl-C came right after tick's commit
                raise KeyboardInterrupt
        assert store.counts()["reports"] == 1


@pytest.mark.parametrize("kind", ["folder", "not-sqlite"])
def test_a_database_path_that_is_no_database_is_one_line(tmp_path, kind, capsys):
    database = tmp_path / "db.sqlite"
    if kind == "folder":
        database.mkdir()
    else:
        database.write_text("hello", encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'[paths]\nreports = "{tmp_path.as_posix()}/r"\ndatabase = "db.sqlite"\n', encoding="utf-8")
    assert bot_main(["ask", "--config", str(config), "桥头胡2020年收到多少申请"]) == 2
    assert ingest_main(["check", "--config", str(config)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("错误：") and "database" in line for line in err)


def test_a_fifo_given_by_name_is_skipped_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with Store(tmp_path / "db.sqlite") as store:
        outcome = ingest_file(fifo, store)
    assert outcome.status == "failed" and "不是普通文件" in outcome.error
    assert sqlite3.connect(tmp_path / "db.sqlite").execute("SELECT COUNT(*) FROM reports").fetchone() == (0,)


def test_output_into_a_pipe_closed_early_still_stores_everything(tmp_path):
    import subprocess
    import sys

    config = tmp_path / "config.toml"
    config.write_text(f'[paths]\nreports = "{(ROOT / "data" / "reports").as_posix()}"\ndatabase = "db.sqlite"\n'
                      'index = "idx"\n', encoding="utf-8")
    run = subprocess.run(f"{sys.executable} -m ingest --config {config} --no-index | head -1", shell=True,
                         capture_output=True, text=True, cwd=ROOT)
    assert run.stdout.count("\n") == 1 and "Traceback" not in run.stderr and "BrokenPipe" not in run.stderr
    assert sqlite3.connect(tmp_path / "db.sqlite").execute("SELECT COUNT(*) FROM reports").fetchone() == (5,)


def test_a_fifo_named_on_the_command_line_is_one_line_not_a_hang(tmp_path, capsys):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    config = tmp_path / "config.toml"
    config.write_text(f'[paths]\nreports = "{tmp_path.as_posix()}/r"\ndatabase = "db.sqlite"\n', encoding="utf-8")
    assert ingest_main(["--config", str(config), "--quiet", "--no-index", str(fifo)]) == 1
    assert "✗ pipe.txt：不是普通文件" in capsys.readouterr().out
    assert ingest_main(["audit", str(fifo)]) in (0, 1)
