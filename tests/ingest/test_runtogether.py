"""Table rows whose cells ran together (text copied out of a web page or a PDF loses the separators).

The files are the samples with their separators deleted: the parser must recover the same numbers where the
template's arithmetic allows exactly one reading, and report the cells as unknown (never 0) where it does not.
"""
from __future__ import annotations

from ingest.model import Table
from ingest.report import parse_bytes
from ingest.textread import text_to_document
from tests.ingest.conftest import QIAOTOUHU, ZUOJIAZHUANG, sample_path, sample_text

T3_START = "三、收到和处理政府信息公开申请情况"
T3_END = "四、政府信息公开行政复议"


def _table3_run_together(text: str, replace: dict[str, str] | None = None) -> str:
    """The report with its table-三 region rewritten as one line per table row, all cells joined with no
    separator; ``replace`` maps a row's leading label to the digits to write instead of its own."""
    start = text.index("\n", text.index(T3_START)) + 1
    end = text.index(T3_END)
    lines = []
    for block in text_to_document(text[start:end], "region").blocks:
        rows = block.rows if isinstance(block, Table) else ((block.text,),)
        for row in rows:
            line = "".join(row)
            for label, digits in (replace or {}).items():
                if line.startswith(label):
                    line = label + digits
            lines.append(line)
    return text[:start] + "\n".join(lines) + "\n" + text[end:]


def _table3(report) -> dict[str, list]:
    rows: dict[str, list] = {}
    for cell in report.cells:
        if cell.table == "三":
            rows.setdefault(cell.row_key, []).append(cell)
    return rows


def _numbers(cells) -> list[float | None]:
    return [c.value for c in cells]


def test_rewritten_region_has_no_separators():
    text = _table3_run_together(sample_text(QIAOTOUHU))
    region = text[text.index(T3_START):text.index(T3_END)]
    assert "\t" not in region
    assert "（七）总计110000011" in region.split("\n")  # ambiguous on its own: 1 10 0 0 0 0 11 or 11 0 0 0 0 0 11
    assert "一、本年新收政府信息公开申请数量180000018" in region.split("\n")


def test_run_together_table_three_gives_the_samples_numbers():
    original = parse_bytes(sample_path(QIAOTOUHU).read_bytes(), "q.txt")
    report = parse_bytes(_table3_run_together(sample_text(QIAOTOUHU)).encode("utf-8"), "q.txt")
    rows = _table3(report)
    assert _numbers(rows["new_received"]) == [18, 0, 0, 0, 0, 0, 18]
    # its own 总计 allows two splits; 一 + 二 = （七）+ 四 and （七）= Σ outcomes leave one
    assert _numbers(rows["total"]) == [11, 0, 0, 0, 0, 0, 11]
    assert all(c.status == "ok" for c in rows["total"])
    assert "列勾稽关系唯一拆分" in rows["total"][0].warning
    assert {k: _numbers(v) for k, v in rows.items()} == {k: _numbers(v) for k, v in _table3(original).items()}
    assert report.findings == ()


def test_two_ambiguous_rows_are_settled_together_by_the_column_rules():
    # （七）总计 and 四 both read "110000011" (1 10 0 0 0 0 11 or 11 0 0 0 0 0 11): the outcome rows fix （七）总计,
    # and then 一 + 二 = （七） + 四 fixes 四 — two open rows, settled together, nothing guessed
    text = _table3_run_together(sample_text(QIAOTOUHU), {
        "二、上年结转政府信息公开申请数量": "4000004",
        "四、结转下年度继续办理": "110000011",
    })
    report = parse_bytes(text.encode("utf-8"), "q.txt")
    rows = _table3(report)
    assert _numbers(rows["carried_over"]) == [4, 0, 0, 0, 0, 0, 4]
    assert _numbers(rows["total"]) == [11, 0, 0, 0, 0, 0, 11]
    assert _numbers(rows["carried_forward"]) == [11, 0, 0, 0, 0, 0, 11]
    assert {c.how for c in rows["total"] + rows["carried_forward"]} == {"arithmetic"}
    assert report.findings == ()


# --- one row per line (tab-separated), some rows without their tabs -------------------------------------------
def _squeeze(line: str, *, keep_label_tab: bool) -> str:
    """Delete the tabs between a row's values (and, without ``keep_label_tab``, the one after its label)."""
    cells = line.split("\t")
    last_label = max(i for i, cell in enumerate(cells) if cell and not cell.strip().isdigit())
    values = "".join(cells[last_label + 1:])
    return "\t".join(cells[:last_label + 1]) + ("\t" if keep_label_tab else "") + values


def _zuojiazhuang_squeezed(rows: dict[str, bool]) -> str:
    lines = sample_text(ZUOJIAZHUANG).split("\n")
    for i, line in enumerate(lines):
        for start, keep_label_tab in rows.items():
            if line.startswith(start):
                lines[i] = _squeeze(line, keep_label_tab=keep_label_tab)
    return "\n".join(lines)


def test_tab_rows_with_tabs_deleted_give_the_samples_numbers():
    text = _zuojiazhuang_squeezed({
        "一、本年新收政府信息公开申请数量": False,  # a paragraph now: 一、本年新收政府信息公开申请数量3000003
        "二、上年结转政府信息公开申请数量": True,
        "(七) 总计": True,
        "四、结转下年度继续办理": False,
    })
    assert "一、本年新收政府信息公开申请数量3000003" in text.split("\n")
    assert "(七) 总计\t3000003" in text.split("\n")
    original = _table3(parse_bytes(sample_path(ZUOJIAZHUANG).read_bytes(), "z.txt"))
    report = parse_bytes(text.encode("utf-8"), "z.txt")
    rows = _table3(report)
    assert _numbers(rows["new_received"]) == [3, 0, 0, 0, 0, 0, 3]
    assert _numbers(rows["total"]) == [3, 0, 0, 0, 0, 0, 3]
    assert {k: _numbers(v) for k, v in rows.items()} == {k: _numbers(v) for k, v in original.items()}
    assert all("唯一拆分" in c.warning for key in ("new_received", "carried_over", "total", "carried_forward")
               for c in rows[key])


def test_tab_row_that_does_not_add_up_is_unknown_once_run_together():
    # (四) 1. 本机关不掌握相关信息 reads 0 0 0 0 0 0 1 in the source: run together, no split adds up
    text = _zuojiazhuang_squeezed({"(四) 无法提供": True})
    report = parse_bytes(text.encode("utf-8"), "z.txt")
    row = _table3(report)["unavailable.not_held"]
    assert all(c.status == "unknown" and c.value is None for c in row)
    assert "0000001" in row[0].warning
    # the source's own inconsistency can no longer be checked: no finding about that row or its column
    assert report.findings == ()
