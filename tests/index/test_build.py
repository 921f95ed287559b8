"""Building the dense index: every distinct passage embedded once, nothing embedded again, FAISS ids equal to the
store's passage ids, and the ``current`` symlink swapped to a new build folder with old builds removed."""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from index.build import build_dense_index
from index.cli import main as index_main
from index.cli import update_index
from index.dense import current_dir, load_embedder, read_meta
from index.service import Answerer
from ingest.config import load_config
from tests.index.conftest import write_config


class CountingEmbedder:
    """The real embedder, recording every passage text it is asked to embed."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.embedded: list[str] = []

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        self.embedded += texts
        return self.inner.encode_passages(texts)


def store_passages(database: Path) -> list[tuple[int, str, str]]:
    """(id, hash, text) of every text passage: table rows are not embedded."""
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT id, hash, text FROM passages WHERE kind = 'text' ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.mark.model
def test_first_build_through_update_index(dense_store):
    config = load_config(dense_store.config)
    passages = store_passages(config.paths.database)
    distinct = len({digest for _, digest, _ in passages})
    assert distinct < len(passages)  # the samples repeat some passages word for word
    assert f"{len(passages)} 段文本" in dense_store.first_build
    assert f"新计算 {distinct} 段" in dense_store.first_build
    cache = sqlite3.connect(config.paths.index / "embeddings.sqlite")
    try:
        assert cache.execute("SELECT COUNT(*) FROM vectors WHERE model = ?", (str(dense_store.model),)).fetchone() \
            == (distinct,)
    finally:
        cache.close()


@pytest.mark.model
def test_each_passage_is_embedded_once_and_never_again(dense_store, tmp_path):
    database = load_config(dense_store.config).paths.database
    passages = store_passages(database)
    inner, reason = load_embedder(str(dense_store.model))
    assert reason is None
    first = CountingEmbedder(inner)
    progress: list[tuple[int, int]] = []
    result = build_dense_index(database, tmp_path / "idx", first, lambda done, total: progress.append((done, total)),
                               batch=20)
    assert len(first.embedded) == len(set(first.embedded)) == len({text for _, _, text in passages})
    assert set(first.embedded) == {text for _, _, text in passages}
    assert (result.passages, result.embedded) == (len(passages), len(first.embedded))
    assert progress[-1] == (len(first.embedded), len(first.embedded)) and len(progress) > 1

    second = CountingEmbedder(inner)
    again = build_dense_index(database, tmp_path / "idx", second)
    assert second.embedded == []
    assert (again.passages, again.embedded) == (len(passages), 0)


@pytest.mark.model
def test_faiss_ids_are_the_passage_ids(dense_store):
    import faiss

    config = load_config(dense_store.config)
    passages = store_passages(config.paths.database)
    index = faiss.read_index(str(current_dir(config.paths.index) / "dense.faiss"))
    ids = faiss.vector_to_array(index.id_map)
    assert sorted(ids.tolist()) == [pid for pid, _, _ in passages]
    assert index.ntotal == len(passages) and index.d == 64
    meta = read_meta(config.paths.index)
    assert (meta["model"], meta["dim"], meta["count"]) == (str(dense_store.model), 64, len(passages))
    # the vector stored under a passage id is the embedding of that passage's text
    embedder, _ = load_embedder(str(dense_store.model))
    pid, _, text = passages[len(passages) // 2]
    assert np.allclose(index.reconstruct(pid), embedder.encode_passages([text])[0], atol=1e-5)


@pytest.mark.model
def test_rebuild_swaps_current_and_removes_old_builds(dense_store):
    config = load_config(dense_store.config)
    index_path = config.paths.index
    link = current_dir(index_path)
    assert link.is_symlink()
    before = index_path / link.readlink()
    assert before.is_dir() and before.name.startswith("build-")

    line = update_index(config, quiet=True)
    assert "新计算 0 段" in line

    assert link.is_symlink()
    after = index_path / link.readlink()
    assert after != before and after.is_dir()
    assert not before.exists()
    assert [p.name for p in index_path.glob("build-*")] == [after.name]
    assert {p.name for p in after.iterdir()} == {"dense.faiss", "meta.json"}
    assert json.loads((link / "meta.json").read_text(encoding="utf-8"))["model"] == str(dense_store.model)
    assert not list(index_path.glob(".current-*"))  # the temporary link was renamed over ``current``
    service = Answerer(config)
    try:
        assert service.mode == "hybrid"
        assert "重视程度有待提高" in service.answer("东柳街道2020年政府信息公开工作存在哪些问题").answer
    finally:
        service.close()


@pytest.mark.model
def test_build_command_with_a_model_that_cannot_load(dense_store, capsys):
    config = write_config(dense_store.folder, name="missing-model.toml", model=dense_store.folder / "no-such-model")
    assert index_main(["build", "--config", str(config), "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "无法加载" in out and "no-such-model" in out


def test_update_index_without_a_store_says_run_ingest(tmp_path):
    config = load_config(write_config(tmp_path / "nothing"))
    line = update_index(config, quiet=True)
    assert "python -m ingest" in line
    assert not config.paths.index.exists()


def test_build_command_reports_a_bad_config(tmp_path, capsys):
    config = tmp_path / "bad.toml"
    config.write_text('[index]\nmodle = "x"\n', encoding="utf-8")
    assert index_main(["build", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert re.search(r"modle", err) and "Traceback" not in err
