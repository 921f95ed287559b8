"""Fixtures shared by the read-path tests: one store built from the five shipped samples per session, an
:class:`Answerer` over it (BM25 only), and — for the model tests — a second store with a dense index built by a
small real sentence-transformers model made offline (benchmarks/tiny_model.py)."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from index.gazetteer import Gazetteer
from index.numeric import Tables
from index.service import Answerer
from ingest.cli import main as ingest_main
from ingest.config import load_config
from tests.conftest import ROOT, SAMPLES

REPORTS = ROOT / "data" / "reports"


def write_config(folder: Path, *, name: str = "config.toml", model: str | Path | None = None) -> Path:
    """A config in ``folder`` whose database and index live in that folder (so configs beside it share them)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = f'[paths]\nreports = "{REPORTS.as_posix()}"\ndatabase = "db.sqlite"\nindex = "idx"\n'
    if model is not None:
        text += f'\n[index]\nmodel = "{Path(model).as_posix()}"\n'
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def ingest_samples(config: Path) -> None:
    assert ingest_main(["--config", str(config), "--no-index", "--quiet"]) == 0


@pytest.fixture(scope="session")
def store_config(tmp_path_factory) -> Path:
    """The config of a store holding the five samples (no dense index)."""
    config = write_config(tmp_path_factory.mktemp("store"))
    ingest_samples(config)
    return config


@pytest.fixture(scope="session")
def database(store_config: Path) -> Path:
    return load_config(store_config).paths.database


@pytest.fixture(scope="session")
def answerer(store_config: Path):
    service = Answerer(load_config(store_config), dense=False)
    yield service
    service.close()


@pytest.fixture
def conn(database: Path):
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def gazetteer(database: Path) -> Gazetteer:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return Gazetteer(Tables(connection).bodies())
    finally:
        connection.close()


@dataclass(frozen=True)
class DenseStore:
    config: Path  # names the tiny model; database and index beside it
    model: Path
    folder: Path
    first_build: str  # what index.cli.update_index said after the first build


@pytest.fixture(scope="session")
def sample_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in SAMPLES]


@pytest.fixture(scope="session")
def dense_store(tmp_path_factory, sample_texts) -> DenseStore:
    """A store with a dense index built by the tiny model through ``index.cli.update_index`` (the real path)."""
    from benchmarks.tiny_model import build_tiny_model
    from index.cli import update_index

    folder = tmp_path_factory.mktemp("dense")
    model = build_tiny_model(sample_texts, folder / "models" / "tiny-64")
    config = write_config(folder, model=model)
    ingest_samples(config)
    line = update_index(load_config(config), quiet=True)
    assert line.startswith("向量索引已更新"), line
    return DenseStore(config, model, folder, line)
