"""A long-running answerer (the bot) answers from what ``python -m ingest`` added after it started, and from a
store rebuilt and swapped in under it."""
from __future__ import annotations

import os
import shutil

from index.service import Answerer
from ingest.cli import main as ingest_main
from ingest.config import load_config
from tests.conftest import ROOT

SAMPLES = sorted((ROOT / "data" / "reports").glob("*.txt"))


def test_reports_added_after_start_are_answered(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    config_path = tmp_path / "config.toml"
    config_path.write_text(f'[paths]\nreports = "{reports.as_posix()}"\ndatabase = "db.sqlite"\nindex = "idx"\n',
                           encoding="utf-8")
    config = load_config(config_path)
    serving = Answerer(config, dense=False)  # before any store exists
    assert serving.answer("桥头胡2020年收到多少申请").value is None
    shutil.copy(SAMPLES[0], reports)  # 柴桥街道
    assert ingest_main(["--config", str(config_path), "--quiet", "--no-index"]) == 0
    assert serving.answer("柴桥街道2019年收到多少申请").kind == "numeric"
    assert serving.answer("桥头胡2020年收到多少申请").value is None
    shutil.copy(SAMPLES[2], reports)  # 桥头胡街道, by another process while this one serves
    assert ingest_main(["--config", str(config_path), "--quiet", "--no-index"]) == 0
    assert serving.answer("桥头胡2020年收到多少申请").value == 18
    # a store rebuilt elsewhere and swapped in over the file (as /reindex and a schema upgrade do)
    other = tmp_path / "other.toml"
    other.write_text(f'[paths]\nreports = "{(ROOT / "data" / "reports").as_posix()}"\ndatabase = "new.sqlite"\n'
                     'index = "idx2"\n', encoding="utf-8")
    assert ingest_main(["--config", str(other), "--quiet", "--no-index"]) == 0
    os.replace(tmp_path / "new.sqlite", config.paths.database)
    assert serving.answer("东柳街道2020年收到多少申请").kind == "numeric"
    serving.close()
