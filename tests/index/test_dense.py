"""Dense retrieval with a small real sentence-transformers model (built offline): loading, hybrid answers, and the
notices when the configured model does not fit the index or cannot be loaded."""
from __future__ import annotations

import os
import shutil

import numpy as np
import pytest

from index.dense import DenseIndex, load_embedder
from index.service import Answerer
from ingest.config import load_config
from ingest.errors import IndexMismatchError
from tests.index.conftest import write_config

pytestmark = pytest.mark.model

NARRATIVE = {"东柳街道2020年政府信息公开工作存在哪些问题": ("东柳街道", "重视程度有待提高"),
             "王家街道微信公众号发布了多少条工作简报信息": ("王家街道", "167")}


@pytest.fixture(scope="module")
def hybrid(dense_store):
    service = Answerer(load_config(dense_store.config))
    yield service
    service.close()


def test_tiny_model_loads_through_sentence_transformers(dense_store):
    from sentence_transformers import SentenceTransformer

    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    embedder, reason = load_embedder(str(dense_store.model))
    assert reason is None
    assert isinstance(embedder.model, SentenceTransformer)
    assert embedder.dim == 64
    vectors = embedder.encode_passages(["桥头胡街道政府信息公开", "微信公众号"])
    assert vectors.shape == (2, 64) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    query = embedder.encode_queries(["桥头胡街道政府信息公开"])
    assert query.shape == (1, 64)


def test_answerer_is_hybrid(hybrid):
    assert hybrid.mode == "hybrid"
    assert hybrid.notices == []
    assert hybrid.dense is not None and hybrid.dense.meta["dim"] == 64


@pytest.mark.parametrize("mode", [None, "dense", "bm25"])
@pytest.mark.parametrize("question", NARRATIVE)
def test_narrative_answers_in_every_mode(hybrid, question, mode):
    body, phrase = NARRATIVE[question]
    answer = hybrid.answer(question, mode=mode)
    assert answer.kind == "narrative"
    assert phrase in answer.answer
    assert {c.org for c in answer.citations} == {body}


def test_numbers_do_not_depend_on_the_dense_index(hybrid):
    assert hybrid.answer("桥头胡2020年收到多少申请").value == 18


def test_dense_search_honours_the_report_filter(hybrid):
    answer = hybrid.answer("东柳街道的微信公众号", mode="dense")
    assert answer.citations and {c.org for c in answer.citations} == {"东柳街道"}


def test_dense_search_with_an_empty_filter_finds_nothing(hybrid):
    vector = hybrid.embedder.encode_queries(["问题"])[0]
    assert hybrid.dense.search(vector, 5, []) == []
    assert len(hybrid.dense.search(vector, 5)) == 5


@pytest.fixture(scope="module")
def other_models(dense_store, sample_texts):
    """Two models the index was not built with: the same model under another folder name, and another dimension."""
    from benchmarks.tiny_model import build_tiny_model

    copy = dense_store.folder / "models" / "tiny-64-copy"
    if not copy.exists():
        shutil.copytree(dense_store.model, copy)
    other = build_tiny_model(sample_texts, dense_store.folder / "models" / "tiny-32", dim=32, seed=1)
    return {"same model, other folder": copy, "other dimension": other}


@pytest.mark.parametrize("which", ["same model, other folder", "other dimension"])
def test_another_model_says_rebuild(dense_store, other_models, which):
    config = write_config(dense_store.folder, name="other-model.toml", model=other_models[which])
    service = Answerer(load_config(config))
    try:
        assert service.mode == "bm25"
        assert service.dense is None
        assert any("python -m index build" in notice for notice in service.notices), service.notices
        assert "重视程度有待提高" in service.answer("东柳街道2020年政府信息公开工作存在哪些问题").answer
    finally:
        service.close()


def test_index_load_refuses_another_dimension(dense_store):
    index_path = load_config(dense_store.config).paths.index
    with pytest.raises(IndexMismatchError, match="python -m index build"):
        DenseIndex.load(index_path, str(dense_store.model), dim=32)
    assert DenseIndex.load(index_path, str(dense_store.model), dim=64).index.ntotal > 0


def test_missing_model_falls_back_to_bm25(dense_store):
    missing = dense_store.folder / "models" / "no-such-model"
    config = write_config(dense_store.folder, name="missing-model.toml", model=missing)
    service = Answerer(load_config(config))
    try:
        assert service.mode == "bm25"
        assert len(service.notices) == 1
        assert "无法加载" in service.notices[0] and "no-such-model" in service.notices[0]
        assert "167" in service.answer("王家街道微信公众号发布了多少条工作简报信息").answer
        assert service.answer("桥头胡2020年收到多少申请").value == 18
    finally:
        service.close()
    assert not missing.exists()


def test_index_status_command(dense_store, capsys):
    from index.cli import main

    assert main(["status", "--config", str(dense_store.config)]) == 0
    out = capsys.readouterr().out
    assert str(dense_store.model) in out and "64 维" in out


def test_a_hub_model_neither_cached_nor_reachable_is_reported_without_asking_the_network(monkeypatch, tmp_path):
    """Not cached and the hub closed: one clear reason at once, not huggingface_hub's minute of retries."""
    import socket

    with socket.socket() as probe:  # a port nobody listens on: the connection is refused
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{closed}")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty cache
    embedder, reason = load_embedder("BAAI/bge-small-zh-v1.5")
    assert embedder is None
    assert reason == (f"向量模型 BAAI/bge-small-zh-v1.5 无法加载（本机没有缓存，也连不上模型仓库 http://127.0.0.1:{closed}），"
                      "只用关键词索引（BM25）回答。")
