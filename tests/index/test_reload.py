"""A long-running answerer (the bot) answers from what ``python -m ingest`` added after it started, and from a
store rebuilt and swapped in under it."""
from __future__ import annotations

import os
import shutil

import pytest

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


@pytest.mark.model
def test_an_index_of_another_store_is_never_paired_with_this_one(dense_store, tmp_path):
    import json
    import shutil

    from index.dense import current_dir

    copy = tmp_path / "dense"
    shutil.copytree(dense_store.folder, copy, symlinks=True)
    config = load_config(copy / "config.toml")  # its store and index are the copy's; the model is the same
    assert Answerer(config).mode == "hybrid"
    meta_path = current_dir(config.paths.index) / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["store_id"] += 1  # as when a rebuild has swapped its new index in before its new store
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    service = Answerer(config)
    assert service.mode == "bm25" and any("另一个数据库" in n for n in service.notices)
    assert service.answer("东柳街道有哪些改进措施").kind == "narrative"


def test_a_reload_puts_the_new_state_in_place_whole(tmp_path):
    import threading

    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(SAMPLES[2], reports)
    config_path = tmp_path / "config.toml"
    config_path.write_text(f'[paths]\nreports = "{reports.as_posix()}"\ndatabase = "db.sqlite"\nindex = "idx"\n',
                           encoding="utf-8")
    assert ingest_main(["--config", str(config_path), "--quiet", "--no-index"]) == 0
    serving = Answerer(load_config(config_path), dense=False)
    answers, stop = [], threading.Event()

    def ask():
        while not stop.is_set():
            answers.append(serving.answer("桥头胡2020年收到多少申请").value)

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for t in threads:
        t.start()
    for sample in SAMPLES[:2] + SAMPLES[3:]:  # other processes add reports while three threads answer
        shutil.copy(sample, reports)
        assert ingest_main(["--config", str(config_path), "--quiet", "--no-index"]) == 0
    stop.set()
    for t in threads:
        t.join()
    assert answers and set(answers) == {18}
    assert serving.answer("左家庄街道2019年收到多少申请").kind == "numeric"
    serving.close()
