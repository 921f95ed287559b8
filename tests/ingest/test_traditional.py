"""A report written in Traditional characters: parsed, matched and searched in Simplified, quoted as written."""
from __future__ import annotations

from opencc import OpenCC

from ingest.report import parse_bytes
from tests.ingest.conftest import QIAOTOUHU, sample_text


def test_a_traditional_report_reads_as_its_simplified_twin_and_keeps_its_own_characters():
    original = sample_text(QIAOTOUHU)
    traditional = OpenCC("s2t").convert(original)
    assert traditional != original
    twin = parse_bytes(original.encode("utf-8"), "q.txt")
    report = parse_bytes(traditional.encode("utf-8"), "q_trad.txt")
    assert (report.body, report.year, report.format) == (twin.body, twin.year, twin.format) == ("桥头胡街道", 2020, "2019")
    assert {(c.table, c.row_key, c.col_key, c.value) for c in report.cells} == \
        {(c.table, c.row_key, c.col_key, c.value) for c in twin.cells}
    texts = [p for p in report.passages if p.kind == "text"]
    assert any("公開" in p.text for p in texts)  # quoted as written
    assert all(p.search_text is None or "公開" not in p.search_text for p in texts)  # searched in Simplified
    assert "報告" in report.title
