"""Fixtures shared by the ingest tests: samples by number, a store in a temporary folder, a config file written
into a temporary folder, and a dump of every table of a SQLite file (to prove that nothing changed)."""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

from ingest.store import Store
from tests.conftest import SAMPLES

# The shipped samples by the number their file names start with.
QIAOTOUHU = "002"  # 桥头胡街道 2020, one cell per line, fully stated
ZUOJIAZHUANG = "004"  # 左家庄街道 2019, one row per line (tab-separated), one row that does not add up


def sample_path(number: str) -> Path:
    return next(path for path in SAMPLES if path.name.startswith(number + "_"))


def sample_text(number: str) -> str:
    return sample_path(number).read_text(encoding="utf-8")


def shift_years(text: str, delta: int) -> str:
    """The same report ``delta`` years earlier or later (every four-digit year 2010–2029 shifted)."""
    return re.sub(r"(?<!\d)20[12]\d(?!\d)", lambda m: str(int(m[0]) + delta), text)


def dump_database(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table (FTS5 shadow tables included) and the schema version, order-independent."""
    conn = sqlite3.connect(path)
    try:
        names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        dump = {"user_version": [conn.execute("PRAGMA user_version").fetchone()]}
        for name in names:
            select = f'SELECT rowid, * FROM "{name}"' if name == "passages_fts" else f'SELECT * FROM "{name}"'
            dump[name] = sorted(conn.execute(select).fetchall(), key=repr)
        return dump
    finally:
        conn.close()


def report_rows(path: Path, report_id: str) -> dict[str, list[tuple]]:
    """The rows that belong to one report: its reports row, cells, passages (with their FTS rows) and findings."""
    conn = sqlite3.connect(path)
    try:
        rows = {"reports": conn.execute("SELECT * FROM reports WHERE id = ?", (report_id,)).fetchall()}
        for table in ("cells", "passages", "findings"):
            rows[table] = sorted(conn.execute(f"SELECT * FROM {table} WHERE report_id = ?", (report_id,)).fetchall(),
                                 key=repr)
        rows["passages_fts"] = sorted(conn.execute(
            "SELECT rowid, tokens FROM passages_fts WHERE rowid IN (SELECT id FROM passages WHERE report_id = ?)",
            (report_id,)).fetchall())
        return rows
    finally:
        conn.close()


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "store" / "nianbao.sqlite") as opened:
        yield opened


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[..., Path]:
    """Write ``config.toml`` into a folder (default: tmp_path) with paths relative to that folder."""

    def write(folder: Path | None = None, *, reports: str = "reports", database: str = "db/nianbao.sqlite",
              extra: str = "") -> Path:
        folder = folder or tmp_path
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "config.toml"
        path.write_text(f'[paths]\nreports = "{reports}"\ndatabase = "{database}"\nindex = "index"\n{extra}',
                        encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def cid_font() -> str:
    """reportlab's built-in Chinese font (no font file needed), registered once, for PDFs built in tests."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"
