"""Every cell of tables 二, 三 and 四 of every sample and real report against an expected file written by
reading the report (tests/ingest/expected/*.json), plus body, year and format."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.report import parse_bytes
from tests.conftest import REAL, SAMPLES

EXPECTED = Path(__file__).parent / "expected"


def _cases():
    return [pytest.param(path, id=path.name) for path in SAMPLES + REAL]


def _actual(cell) -> float | str | None:
    if cell.status == "unknown":
        return "unknown"
    return cell.value


@pytest.mark.parametrize("path", _cases())
def test_report_matches_expected(path: Path):
    expected = json.loads((EXPECTED / f"{path.stem}.json").read_text(encoding="utf-8"))
    report = parse_bytes(path.read_bytes(), path.name)
    assert (report.body, report.year, report.format) == (expected["body"], expected["year"], expected["format"])
    cells = {(c.table, c.row_key, c.col_key): c for c in report.cells}
    mismatches = []
    for table, rows in expected["tables"].items():
        for row_key, columns in rows.items():
            for col_key, value in columns.items():
                cell = cells.get((table, row_key, col_key))
                got = _actual(cell) if cell else "absent"
                if got != value and not (isinstance(got, float) and isinstance(value, (int, float)) and got == value):
                    mismatches.append(f"表{table} {row_key}/{col_key}: expected {value!r}, got {got!r}")
    extra = {k for k in cells if k[1] not in expected["tables"].get(k[0], {})}
    assert not mismatches, "\n".join(mismatches)
    assert not extra, f"cells the expected file does not list: {sorted(extra)}"
    for key, unit in expected.get("units", {}).items():
        table, row_key, col_key = key.split("/", 2) if key.count("/") == 2 else key.rsplit("/", 2)
        assert cells[(table, row_key, col_key)].unit == unit, key


@pytest.mark.parametrize("path", _cases())
def test_units_only_where_stated(path: Path):
    expected = json.loads((EXPECTED / f"{path.stem}.json").read_text(encoding="utf-8"))
    report = parse_bytes(path.read_bytes(), path.name)
    stated = {f"{c.table}/{c.row_key}/{c.col_key}" for c in report.cells if c.unit}
    assert stated == set(expected.get("units", {}))


@pytest.mark.parametrize("path", _cases())
def test_whole_tables_are_not_called_cut_off(path: Path):
    """Each of these reports prints tables 二, 三 and 四 in full; a table the line layout read row by row is whole
    even where the character stream lost its end (the Shanghai pages: 表二 was called cut off)."""
    report = parse_bytes(path.read_bytes(), path.name)
    assert dict(report.tables) == {"二": "complete", "三": "complete", "四": "complete"}
    assert not [w for w in report.warnings if "不完整" in w or "没有这张表" in w]


@pytest.mark.parametrize("path", _cases())
def test_page_numbers_are_not_read_into_the_text(path: Path):
    """A page footer on its own line (— 3 — in the Shanghai office's report) is dropped: joined into a sentence it
    reads as a number the sentence states (切实提升一线工作人员— 3 —依法公开水平)."""
    import re

    report = parse_bytes(path.read_bytes(), path.name)
    assert not [p.text for p in report.passages if re.search(r"[—－]\s*\d{1,3}\s*[—－]", p.text)]
