"""Readers: every supported format and encoding gives the Document (and so the Report) the text sample gives.

DOCX and PDF files are built here from the samples (python-docx, reportlab with the CID font STSong-Light,
which needs no font file), so the fixtures stay small and readable.
"""
from __future__ import annotations

import io
import random
from pathlib import Path

import docx
import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import SimpleDocTemplate, TableStyle
from reportlab.platypus import Table as PdfTable

from ingest import readers
from ingest.errors import NotAReportError, ReadError
from ingest.model import Paragraph, Table
from ingest.readers import read_document
from ingest.report import parse_bytes
from ingest.textread import text_to_document
from tests.conftest import REAL, SAMPLES
from tests.ingest.conftest import QIAOTOUHU, sample_path, sample_text
from tests.ingest.layouts import pdf_of_lines

HTML = next(path for path in REAL if path.name == "2023_shuyang_fagaiju.html")
T3_VALUE_COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def _values(report, table: str | None = None) -> dict[tuple[str, str, str], tuple[float | None, str]]:
    return {(c.table, c.row_key, c.col_key): (c.value, c.status) for c in report.cells if table in (None, c.table)}


# --- text encodings -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [p for p in SAMPLES if p.name[:3] in ("002", "003", "004")], ids=lambda p: p.name)
def test_gbk_file_reads_as_the_utf8_one(path: Path):
    text = path.read_text(encoding="utf-8")
    assert parse_bytes(text.encode("gbk"), path.name) == parse_bytes(path.read_bytes(), path.name)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_gb18030_file_reads_as_the_utf8_one(path: Path):
    # 000 and 001 hold a no-break space, which GBK cannot encode but GB18030 can
    text = path.read_text(encoding="utf-8")
    assert parse_bytes(text.encode("gb18030"), path.name) == parse_bytes(path.read_bytes(), path.name)


def test_utf8_with_bom_reads_as_without():
    path = sample_path(QIAOTOUHU)
    with_bom = parse_bytes(b"\xef\xbb\xbf" + path.read_bytes(), path.name)
    assert with_bom == parse_bytes(path.read_bytes(), path.name)
    assert with_bom.title == "桥头胡街道2020年度政府信息公开年度报告"


def test_utf16_with_bom_reads_as_utf8():
    path = sample_path(QIAOTOUHU)
    assert parse_bytes(sample_text(QIAOTOUHU).encode("utf-16"), path.name) == parse_bytes(path.read_bytes(), path.name)


def test_markdown_pipe_table_is_a_table():
    document = read_document("# 标题\n\n| 项目 | 数量 |\n|---|---|\n| 规章 | 3 |\n正文。".encode(), "a.md")
    assert document.blocks == (Paragraph("标题"), Table((("项目", "数量"), ("规章", "3"))), Paragraph("正文。"))


@pytest.mark.parametrize("data, message", [
    (b"", "空的"),
    (b"  \n\t\r\n", "空的"),
    (b"\x00\x01\x02\x03" * 200, "二进制"),
    (random.Random(7).randbytes(4096), "二进制"),  # random bytes hold NULs and control bytes
    (b"report \xff\x80\xff\x80 text\n" * 50, "编码"),  # text-like, but neither UTF-8 nor GB18030
])
def test_unreadable_text_raises_read_error_naming_the_file(data: bytes, message: str):
    with pytest.raises(ReadError, match=message) as raised:
        read_document(data, "bad.txt")
    assert str(raised.value).startswith("bad.txt：")
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("name", ["report.doc", "report.xlsx", "report"])
def test_unsupported_suffix_is_refused(name: str):
    with pytest.raises(ReadError, match="不支持的文件类型"):
        read_document(sample_path(QIAOTOUHU).read_bytes(), name)


def test_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(readers, "MAX_BYTES", 1024)
    with pytest.raises(ReadError, match="超过"):
        read_document(sample_path(QIAOTOUHU).read_bytes(), "big.txt")


# --- HTML -----------------------------------------------------------------------------------------------------
def test_html_page_gives_three_tables_and_the_title():
    document = read_document(HTML.read_bytes(), HTML.name)
    tables = [b for b in document.blocks if isinstance(b, Table)]
    assert len(tables) == 3
    assert document.title_hint == "沭阳县发展和改革局2023年政府信息公开年度报告"
    assert any("本年新收" in "".join(row) for row in tables[1].rows)
    report = parse_bytes(HTML.read_bytes(), HTML.name)
    assert (report.title, report.body, report.year, report.format) == (
        "沭阳县发展和改革局2023年政府信息公开年度报告", "沭阳县发展和改革局", 2023, "2021")
    assert _values(report)[("三", "new_received", "total")] == (26.0, "ok")


def test_html_declared_as_gbk_reads_as_utf8():
    text = HTML.read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="gbk"')
    assert parse_bytes(text.encode("gbk"), HTML.name) == parse_bytes(HTML.read_bytes(), HTML.name)


def test_html_merged_cells_repeat_labels_and_state_numbers_once():
    page = """<html><body><p>一、总体情况</p><p>本年新收</p><table>
      <tr><td rowspan="2">三、本年度办理结果</td><td>（一）予以公开</td><td colspan="2">5</td></tr>
      <tr><td>（七）总计</td><td>5</td><td>0</td></tr></table></body></html>"""
    (table,) = [b for b in read_document(page.encode(), "p.html").blocks if isinstance(b, Table)]
    assert table.rows == (("三、本年度办理结果", "（一）予以公开", "5", ""),
                          ("三、本年度办理结果", "（七）总计", "5", "0"))


# --- DOCX -----------------------------------------------------------------------------------------------------
def _docx_from_sample(number: str) -> bytes:
    """The sample's paragraphs as Word paragraphs, its tables as Word tables; table 三 laid out as in the
    template: 三、本年度办理结果 merged down its rows, each group label merged down its items, the labels of
    rows 一, 二 and 四 merged across the three label columns, 申请人情况 merged across the value columns."""
    document = text_to_document(sample_text(number), "x.txt")
    out = docx.Document()
    for block in document.blocks:
        if isinstance(block, Paragraph):
            out.add_paragraph(block.text)
        elif any("本年新收" in "".join(row) for row in block.rows):
            _word_table3(out, block.rows)
        else:
            width = max(len(row) for row in block.rows)
            table = out.add_table(rows=len(block.rows), cols=width)
            for i, row in enumerate(block.rows):
                for j, text in enumerate(row):
                    table.cell(i, j).text = text
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _word_table3(out, rows) -> None:
    body = [row for row in rows if any(cell.isdigit() for cell in row)]
    table = out.add_table(rows=2 + len(body), cols=10)
    table.cell(0, 0).merge(table.cell(1, 2)).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    table.cell(0, 3).merge(table.cell(0, 9)).text = "申请人情况"
    for j, header in enumerate(T3_VALUE_COLUMNS):
        table.cell(1, 3 + j).text = header
    outcome_rows: list[int] = []
    groups: dict[str, list[int]] = {}
    outcome_label = group = ""
    for i, row in enumerate(body, start=2):
        labels, values = row[:-7], row[-7:]
        for j, value in enumerate(values):
            table.cell(i, 3 + j).text = value
        if len(labels) == 1:  # 一、二、四: one label over the three label columns
            table.cell(i, 0).merge(table.cell(i, 2)).text = labels[0]
            continue
        outcome_rows.append(i)
        outcome_label = labels[0] or outcome_label
        if len(labels) == 2:  # （一）予以公开 …: the label over two columns
            table.cell(i, 1).merge(table.cell(i, 2)).text = labels[1]
        else:
            group = labels[1] or group
            groups.setdefault(group, []).append(i)
            table.cell(i, 2).text = labels[2]
    table.cell(outcome_rows[0], 0).merge(table.cell(outcome_rows[-1], 0)).text = outcome_label
    for label, members in groups.items():
        table.cell(members[0], 1).merge(table.cell(members[-1], 1)).text = label


def test_docx_with_merged_cells_gives_the_samples_tables():
    data = _docx_from_sample(QIAOTOUHU)
    (table3,) = [b for b in read_document(data, "q.docx").blocks
                 if isinstance(b, Table) and any("本年新收" in "".join(row) for row in b.rows)]
    # the vertical merge repeats the label on every row it spans
    assert sum(row[0] == "三、本年度办理结果" for row in table3.rows) == 20  # （一） to （七）
    from_docx = parse_bytes(data, "q.docx")
    from_text = parse_bytes(sample_path(QIAOTOUHU).read_bytes(), "q.txt")
    assert (from_docx.body, from_docx.year, from_docx.format) == ("桥头胡街道", 2020, "2019")
    assert _values(from_docx, "三")[("三", "new_received", "total")] == (18.0, "ok")
    assert _values(from_docx, "三")[("三", "total", "total")] == (11.0, "ok")
    for table in ("二", "三", "四"):
        assert _values(from_docx, table) == _values(from_text, table), f"表{table}"
    assert from_docx.warnings == ()


def test_docx_merged_number_is_stated_once():
    out = docx.Document()
    out.add_paragraph("正文")
    table = out.add_table(rows=1, cols=4)
    table.cell(0, 0).text = "（七）总计"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "5"
    table.cell(0, 3).text = "5"
    buffer = io.BytesIO()
    out.save(buffer)
    (row,) = [b for b in read_document(buffer.getvalue(), "m.docx").blocks if isinstance(b, Table)][0].rows
    assert row == ("（七）总计", "5", "", "5")


@pytest.mark.parametrize("data", [b"PK\x03\x04 not really a zip", b"plain text"])
def test_invalid_docx_is_a_read_error(data: bytes):
    with pytest.raises(ReadError, match="不是有效的 .docx"):
        read_document(data, "bad.docx")


# --- PDF ------------------------------------------------------------------------------------------------------
PDF_LINES = [
    "东湖街道2020年政府信息公开工作年度报告",
    "本报告根据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限自2020年1月1日起至2020年12月31日止。",
    "一、总体情况",
    "2020年，东湖街道认真贯彻落实政府信息公开工作各项要求。",
    "三、收到和处理政府信息公开申请情况",
    "一、本年新收政府信息公开申请数量 18 0 0 0 0 0 18",
    "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0",
    "（一）予以公开 11 0 0 0 0 0 11",
    "（七）总计 11 0 0 0 0 0 11",
    "四、结转下年度继续办理 7 0 0 0 0 0 7",
    "四、政府信息公开行政复议、行政诉讼情况",
]


def test_pdf_text_lines_are_read_as_paragraphs(cid_font):
    document = read_document(pdf_of_lines(PDF_LINES, cid_font), "d.pdf")
    assert document.blocks == tuple(Paragraph(line) for line in PDF_LINES)


def test_pdf_table_three_as_text_lines(cid_font):
    report = parse_bytes(pdf_of_lines(PDF_LINES, cid_font), "d.pdf")
    assert (report.body, report.year, report.title) == ("东湖街道", 2020, "东湖街道2020年政府信息公开工作年度报告")
    values = _values(report, "三")
    for row_key, natural in (("new_received", 18), ("carried_over", 0), ("disclosed", 11), ("total", 11),
                             ("carried_forward", 7)):
        assert [values[("三", row_key, c)] for c in ("natural_person", "commercial", "total")] == [
            (natural, "ok"), (0.0, "ok"), (natural, "ok")]
    # rows the PDF does not have are not stated, never 0
    assert values[("三", "withheld.state_secret", "total")] == (None, "blank")
    assert report.findings == ()
    assert report.table_state("二") == "missing" and report.table_state("四") == "missing"
    assert report.warnings == ("表二：报告文本里没有这张表（可能被截去，或是图片）", "表四：报告文本里没有这张表（可能被截去，或是图片）")


def test_pdf_row_that_lost_its_blank_cells_keeps_only_its_total(cid_font):
    lines = [line if not line.startswith("（一）") else "（一）予以公开 11 11" for line in PDF_LINES]
    report = parse_bytes(pdf_of_lines(lines, cid_font), "d.pdf")
    values = _values(report, "三")
    assert values[("三", "disclosed", "total")] == (11.0, "ok")
    assert [values[("三", "disclosed", c)] for c in ("natural_person", "other_org")] == [(None, "unknown")] * 2
    assert any("（一）予以公开" in w and "少于 7 列" in w for w in report.warnings)


def test_pdf_ruled_table_is_read_as_a_table(cid_font):
    style = ParagraphStyle("zh", fontName=cid_font, fontSize=9, leading=12)
    rows = [[""] + T3_VALUE_COLUMNS] + [line.rsplit(" ", 7)[0:1] + line.split(" ")[-7:] for line in PDF_LINES[5:10]]
    grid = PdfTable(rows)
    grid.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), cid_font), ("FONTSIZE", (0, 0), (-1, -1), 7),
                              ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    buffer = io.BytesIO()
    story = [PdfParagraph(line, style) for line in PDF_LINES[:5]] + [grid, PdfParagraph(PDF_LINES[-1], style)]
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    document = read_document(buffer.getvalue(), "g.pdf")
    (table,) = [b for b in document.blocks if isinstance(b, Table)]
    assert table.rows[1] == ("一、本年新收政府信息公开申请数量", "18", "0", "0", "0", "0", "0", "18")
    report = parse_bytes(buffer.getvalue(), "g.pdf")
    assert _values(report, "三")[("三", "carried_forward", "natural_person")] == (7.0, "ok")


def test_pdf_without_a_text_layer_is_refused(cid_font):
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.rect(100, 100, 200, 200)  # a scan: drawing only, no text
    pdf.save()
    with pytest.raises(ReadError, match="没有文字层"):
        read_document(buffer.getvalue(), "scan.pdf")


def test_truncated_pdf_is_a_read_error(cid_font):
    data = pdf_of_lines(PDF_LINES, cid_font)
    with pytest.raises(ReadError, match="half.pdf：PDF 文件"):
        read_document(data[: len(data) // 2], "half.pdf")


def test_text_with_a_pdf_suffix_is_refused():
    with pytest.raises(ReadError, match="%PDF"):
        read_document(sample_path(QIAOTOUHU).read_bytes(), "q.pdf")


def test_pdf_without_the_report_words_is_not_a_report(cid_font):
    with pytest.raises(NotAReportError, match="政府信息公开"):
        parse_bytes(pdf_of_lines(["会议纪要", "今天讨论了绿化工作。"], cid_font), "m.pdf")


def test_utf8_cut_inside_a_character_keeps_the_text_and_marks_the_tables_missing():
    data = sample_path(QIAOTOUHU).read_bytes()
    cut = int(len(data) * 0.35)
    while not 0x80 <= data[cut] <= 0xBF:  # a continuation byte: the cut falls inside a character
        cut += 1
    report = parse_bytes(data[:cut], "cut.txt")
    assert (report.body, report.year) == ("桥头胡街道", 2020)
    assert dict(report.tables) == {"二": "missing", "三": "missing", "四": "missing"}
    assert report.cells == () and any(p.kind == "text" for p in report.passages)


def test_a_damaged_pdf_cross_reference_table_is_not_fifty_warnings(caplog):
    import io
    import logging
    import re

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 700, "hello")
    page.showPage()
    page.save()
    damaged = re.sub(rb"\d{10} 00000 n", b"0000000999 00000 n", buffer.getvalue())  # every offset wrong
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ReadError):
        parse_bytes(damaged, "damaged.pdf")
    assert not [r for r in caplog.records if r.name.startswith("pdfminer") and r.levelno >= logging.WARNING]


def test_an_introduction_naming_every_section_is_not_taken_for_the_report():
    """A page's first paragraph often lists the sections (全文包括总体情况……其他需要报告的事项): the report is the
    element holding the first section and a later one as separate text, not that one sentence."""
    from ingest.readers import read_document

    from tests.conftest import ROOT

    text = (ROOT / "data" / "reports" / "002_c98c7a4ac036b6ca.txt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    page = ("<html><body><div class='nav'>首页</div><div class='article'>"
            + "".join(f"<p>{line}</p>" for line in lines) + "</div></body></html>").encode()
    document = read_document(page, "page.html")
    assert len(document.blocks) > 20
    assert any("一、总体情况" in getattr(block, "text", "") for block in document.blocks)
