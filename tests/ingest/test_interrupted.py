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
