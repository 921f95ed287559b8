"""Shared fixtures: paths to the shipped samples and the real-report fixtures, and an isolated config."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "data" / "reports").glob("*.txt"))
REAL = sorted((ROOT / "tests" / "fixtures" / "real").glob("*.*"))
GOLD = ROOT / "tests" / "fixtures" / "gold" / "seeds_gold.jsonl"

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture
def sample_bytes():
    return {path.name: path.read_bytes() for path in SAMPLES}
