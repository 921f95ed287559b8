"""More layouts that neither the samples nor tests/ingest/test_unseen_layouts.py have: a PDF with ruled tables (table
三 over a page break, its header repeated, page numbers between), a 2019-format report as a Word file (本年增/减 with
signs, 采购 in 万元, table 四 as three small tables), cells with units, words, dashes and footnote marks, rows left
empty or filled with 无, narrative inside a table section whose lines a PDF broke after a number, narrative quoting
other years, bodies below the county level, and web pages whose table 三 is cut in two or sits in a layout table, or
whose title is only in <title> with the site's name after it.

Every input is written here; each test checks the numbers it wrote in, and that a cell left blank is not stated
(None), never 0.
"""
from __future__ import annotations

import io

import docx
import pytest
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import SimpleDocTemplate, TableStyle
from reportlab.platypus import Table as PdfTable

from ingest.model import Table
from ingest.readers import read_document
from ingest.report import parse_bytes
from tests.ingest.layouts import (CHECK_NOTE, T3_COLS, T3_FLOW, T3_HEADERS, T4_COLS, cells_by_key, docx_bytes,
                                  row_values, word_grid, word_table3)

T4_KEYS = ("review", "litigation_direct", "litigation_after_review")

# Table 三 of a 2021-format report: (group label, item label, row key, seven values). Every column differs and the
# numbers obey every rule of the template (一 + 二 = （七）+ 四, （七）= Σ outcomes, 总计 = Σ applicants).
T3_2021 = (
    ("", "一、本年新收政府信息公开申请数量", "new_received", (31, 6, 2, 1, 3, 1, 44)),
    ("", "二、上年结转政府信息公开申请数量", "carried_over", (4, 1, 0, 0, 0, 0, 5)),
    ("", "（一）予以公开", "disclosed", (15, 3, 1, 1, 2, 0, 22)),
    ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_disclosed", (4, 1, 0, 0, 0, 0, 5)),
    ("（三）不予公开", "1.属于国家秘密", "withheld.state_secret", (0,) * 7),
    ("（三）不予公开", "2.其他法律行政法规禁止公开", "withheld.prohibited_by_law", (0,) * 7),
    ("（三）不予公开", "3.危及“三安全一稳定”", "withheld.three_safeties", (0,) * 7),
    ("（三）不予公开", "4.保护第三方合法权益", "withheld.third_party", (2, 0, 0, 0, 0, 0, 2)),
    ("（三）不予公开", "5.属于三类内部事务信息", "withheld.internal_affairs", (0,) * 7),
    ("（三）不予公开", "6.属于四类过程性信息", "withheld.process_info", (1, 0, 0, 0, 0, 1, 2)),
    ("（三）不予公开", "7.属于行政执法案卷", "withheld.enforcement_files", (0,) * 7),
    ("（三）不予公开", "8.属于行政查询事项", "withheld.query_matters", (0,) * 7),
    ("（四）无法提供", "1.本机关不掌握相关政府信息", "unavailable.not_held", (6, 1, 1, 0, 1, 0, 9)),
    ("（四）无法提供", "2.没有现成信息需要另行制作", "unavailable.needs_creation", (1, 0, 0, 0, 0, 0, 1)),
    ("（四）无法提供", "3.补正后申请内容仍不明确", "unavailable.still_unclear", (0,) * 7),
    ("（五）不予处理", "1.信访举报投诉类申请", "not_processed.petition", (1, 0, 0, 0, 0, 0, 1)),
    ("（五）不予处理", "2.重复申请", "not_processed.repeated", (1, 1, 0, 0, 0, 0, 2)),
    ("（五）不予处理", "3.要求提供公开出版物", "not_processed.publications", (0,) * 7),
    ("（五）不予处理", "4.无正当理由大量反复申请", "not_processed.excessive", (0,) * 7),
    ("（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", "not_processed.confirmation", (0,) * 7),
    ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other.overdue_correction",
     (1, 0, 0, 0, 0, 0, 1)),
    ("（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other.unpaid_fees",
     (0,) * 7),
    ("（六）其他处理", "3.其他", "other.other", (0,) * 7),
    ("", "（七）总计", "total", (32, 6, 2, 1, 3, 1, 45)),
    ("", "四、结转下年度继续办理", "carried_forward", (3, 1, 0, 0, 0, 0, 4)),
)
# The 2019 format: （六）其他处理 is one row.
T3_2019 = (*T3_2021[:20], ("", "（六）其他处理", "other", (1, 0, 0, 0, 0, 0, 1)), *T3_2021[23:])
T4_VALUES = ((2, 1, 0, 1, 4), (1, 0, 1, 0, 2), (0, 0, 0, 1, 1))  # 行政复议, 直接起诉, 复议后起诉

PERIOD_2021 = "本报告根据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限自2021年1月1日起至2021年12月31日止。"


def _assert_table3(report, rows=T3_2021) -> None:
    for _, _, key, values in rows:
        assert row_values(report, "三", key) == list(values), key
    assert all(c.status == "ok" for c in report.cells if c.table == "三")


def _assert_rest_unchanged(report, changed: set[str]) -> None:
    """Every row of table 三 but ``changed`` as T3_2021 states it."""
    for _, _, key, values in T3_2021:
        if key not in changed:
            assert row_values(report, "三", key) == list(values), key


def _assert_table4(report) -> None:
    for key, values in zip(T4_KEYS, T4_VALUES):
        assert row_values(report, "四", key, T4_COLS) == list(values), key


def _text(report) -> str:
    return "\n".join(p.text for p in report.passages if p.kind == "text")


# --- a PDF with ruled tables ------------------------------------------------------------------------------------
# Narrative paragraphs long enough to wrap (a PDF text layer breaks them mid-sentence) and to push table 三 over a
# page break.
PDF_OVERVIEW = (
    "一、总体情况",
    "2021年，临江市生态环境局以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "坚持以公开为常态、不公开为例外，围绕污染防治攻坚战、生态环境执法监管和环境影响评价审批等重点领域，"
    "全年通过门户网站主动公开政府信息2,317条，其中环境质量信息1,046条，建设项目环评审批信息583条。",
    "（一）主动公开",
    "本局严格落实公开属性源头认定，全年制发行政规范性文件7件，废止1件，现行有效33件，均在门户网站“政策文件”栏目集中公开，"
    "同步发布政策解读材料12篇，其中图文解读5篇，视频解读2篇，确保公众看得到、听得懂、能监督。"
    "本局还按月公开全市地表水和空气质量状况，按季度公开重点排污单位监督性监测结果。",
    "（二）依申请公开",
    "全年新收政府信息公开申请44件，上年结转5件，办结45件，结转下年度继续办理4件，所有申请均在法定期限内答复，"
    "未发生因依申请公开答复引起的行政复议被纠错情况。申请内容主要集中在建设项目环评审批、环境信访投诉处理结果和排污许可等方面。",
    "（三）政府信息管理",
    "本局动态更新政府信息公开指南和主动公开目录，建立公开前保密审查、合法性审查和公开后评估制度，"
    "全年清理过时失效信息86条，对涉及个人隐私的信息进行了去标识化处理，有效防止了泄密和侵权事件的发生。",
    "（四）平台建设",
    "本局持续优化门户网站政府信息公开专栏，完善“法定主动公开内容”各栏目设置，"
    "通过政务新媒体同步发布环境质量信息和执法信息，全年政务微博发布信息1,288条，微信公众号推送文章736篇。",
    "（五）监督保障",
    "本局将政府信息公开工作纳入年度目标考核，全年组织专题培训2次，参训人员156人次，未发生因政府信息公开工作引起的责任追究。",
)
# A sentence above table 三 that the PDF breaks so that one line ends in "予以公开22": not a table row.
PDF_REQUESTS_INTRO = ("本年本局新收政府信息公开申请44件，较2020年的29件增加15件。办结的申请中予以公开22件，部分公开5件，"
                      "不予公开4件，无法提供10件，不予处理3件，其他处理1件，结转下年度继续办理4件。")
PDF_CLOSING = (
    "五、存在的主要问题及改进情况",
    "一是政策解读形式仍较单一，图解、视频等解读方式运用不够；二是基层政务公开标准化规范化工作有待加强。"
    "下一步，本局将丰富解读形式，加强业务培训，持续提升政府信息公开工作质量。",
    "六、其他需要报告的事项",
    "本年度未收取信息处理费。",
)


def _ruled(rows, widths, spans=(), repeat_rows: int = 0, font: str = "STSong-Light") -> PdfTable:
    """A table drawn with grid lines, labels wrapped inside their cells, merged cells as SPANs."""
    style = ParagraphStyle("cell", fontName=font, fontSize=7, leading=9, wordWrap="CJK")
    table = PdfTable([[PdfParagraph(c, style) if isinstance(c, str) and c else c for c in row] for row in rows],
                     colWidths=widths, repeatRows=repeat_rows)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 7),
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               *[("SPAN", a, b) for a, b in spans]]))
    return table


def _ruled_table2_2021() -> PdfTable:
    rows, spans = [], []
    blocks = [
        ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"),
         [("规章", ("0", "0", "2")), ("行政规范性文件", ("7", "1", "33"))]),
        ("第二十条第（五）项", ("本年处理决定数量",), [("行政许可", ("1203",))]),
        ("第二十条第（六）项", ("本年处理决定数量",), [("行政处罚", ("456",)), ("行政强制", ("12",))]),
        ("第二十条第（八）项", ("本年收费金额（单位：万元）",), [("行政事业性收费", ("3.52",))]),
    ]
    for caption, headers, items in blocks:
        spans.append(((0, len(rows)), (3, len(rows))))
        rows.append([caption, "", "", ""])
        if len(headers) == 1:
            spans.append(((1, len(rows)), (3, len(rows))))
        rows.append(["信息内容", *headers] + [""] * (3 - len(headers)))
        for label, values in items:
            if len(values) == 1:
                spans.append(((1, len(rows)), (3, len(rows))))
            rows.append([label, *values] + [""] * (3 - len(values)))
    return _ruled(rows, [150, 110, 110, 110], spans)


def _ruled_table3(rows=T3_2021) -> PdfTable:
    """Table 三 as the template draws it, its three header rows repeated on every page it runs over."""
    header = [[CHECK_NOTE, "", "", "申请人情况", "", "", "", "", "", ""],
              ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
              ["", "", "", "", *T3_HEADERS[1:6], ""]]
    spans = [((0, 0), (2, 2)), ((3, 0), (9, 0)), ((3, 1), (3, 2)), ((4, 1), (8, 1)), ((9, 1), (9, 2))]
    body = []
    for group, label, key, values in rows:
        r = len(header) + len(body)
        if key in T3_FLOW:
            body.append([label, "", "", *map(str, values)])
            spans.append(((0, r), (2, r)))
        elif group:
            body.append(["", group, label, *map(str, values)])
        else:
            body.append(["", label, "", *map(str, values)])
            spans.append(((1, r), (2, r)))
    return _ruled(header + body, [42, 48, 120] + [38] * 7, spans, repeat_rows=3)


def _ruled_table4() -> PdfTable:
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9,
            [""] * 5 + ["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
            results * 3,
            [str(v) for group in T4_VALUES for v in group]]
    spans = [((0, 0), (4, 1)), ((5, 0), (14, 0)), ((5, 1), (9, 1)), ((10, 1), (14, 1))]
    return _ruled(rows, [34] * 15, spans)


def _page_number(canvas, document) -> None:
    canvas.setFont("STSong-Light", 9)
    canvas.drawCentredString(A4[0] / 2, 30, f"— {document.page} —")


def _ruled_pdf(cid_font: str, *, table3=None, before_table3=(PDF_REQUESTS_INTRO,)) -> bytes:
    style = ParagraphStyle("body", fontName=cid_font, fontSize=10.5, leading=17, wordWrap="CJK", firstLineIndent=21)
    heading = ParagraphStyle("heading", fontName=cid_font, fontSize=11, leading=18)

    def paragraphs(texts):
        return [PdfParagraph(t, heading if len(t) < 20 else style) for t in texts]

    story = [PdfParagraph("临江市生态环境局2021年政府信息公开工作年度报告", heading), PdfParagraph(PERIOD_2021, style)]
    story += paragraphs(PDF_OVERVIEW)
    story += [PdfParagraph("二、主动公开政府信息情况", heading), _ruled_table2_2021()]
    story += [PdfParagraph("三、收到和处理政府信息公开申请情况", heading), *paragraphs(before_table3),
              table3 or _ruled_table3()]
    story += [PdfParagraph("四、政府信息公开行政复议、行政诉讼情况", heading), _ruled_table4()]
    story += paragraphs(PDF_CLOSING)
    story += [PdfParagraph("临江市生态环境局", heading), PdfParagraph("2022年1月18日", heading)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def ruled_pdf(cid_font) -> bytes:
    return _ruled_pdf(cid_font)


@pytest.fixture(scope="module")
def ruled_document(ruled_pdf):
    return read_document(ruled_pdf, "sthj.pdf")


@pytest.fixture(scope="module")
def ruled_report(ruled_pdf):
    return parse_bytes(ruled_pdf, "sthj.pdf")


def test_ruled_pdf_table3_runs_over_a_page_break_with_its_header_repeated(ruled_document, ruled_report):
    tables = [b for b in ruled_document.blocks if isinstance(b, Table)]
    parts = [t for t in tables if any("申请人情况" in "".join(row) for row in t.rows)]
    assert len(parts) == 2  # the layout this test is about: one table on two pages, the header on both
    assert any("本年新收" in "".join(row) for row in parts[0].rows)
    assert any("结转下年度" in "".join(row) for row in parts[1].rows)
    report = ruled_report
    assert (report.body, report.year, report.format) == ("临江市生态环境局", 2021, "2021")
    assert report.title == "临江市生态环境局2021年政府信息公开工作年度报告"
    _assert_table3(report)
    assert not any(c.row_key == "other" for c in report.cells if c.table == "三")
    assert report.findings == ()
    assert report.warnings == ()


def test_ruled_pdf_tables_two_and_four(ruled_report):
    report = ruled_report
    cells = cells_by_key(report)
    assert row_values(report, "二", "regulations", ("issued", "repealed", "in_force")) == [0, 0, 2]
    assert row_values(report, "二", "normative_documents", ("issued", "repealed", "in_force")) == [7, 1, 33]
    assert [cells[("二", k, "decisions")].value for k in ("licensing", "punishment", "coercion")] == [1203, 456, 12]
    fee = cells[("二", "fees", "fee_amount")]
    assert (fee.value, fee.unit, fee.status) == (3.52, "万元", "ok")
    _assert_table4(report)


def test_ruled_pdf_narrative_lines_wrapped_mid_sentence_are_joined(ruled_document, ruled_report):
    report = ruled_report
    text = _text(report)
    # each of these runs over a line end in the PDF; a passage holds it whole
    for phrase in ("全年通过门户网站主动公开政府信息2,317条，其中环境质量信息1,046条，建设项目环评审批信息583条。",
                   "全年新收政府信息公开申请44件，上年结转5件，办结45件，结转下年度继续办理4件",
                   "全年清理过时失效信息86条"):
        assert phrase in text.replace("\n", ""), phrase
        assert any(phrase in p.text for p in report.passages if p.kind == "text"), phrase
    # the sentence above table 三, one of its lines ending in a number
    lines = [b.text for b in ruled_document.blocks if not isinstance(b, Table)]
    assert any(line.endswith("予以公开22") for line in lines)
    assert "较2020年的29件增加15件。办结的申请中予以公开22件，部分公开5件" in text.replace("\n", "")
    # page numbers and table debris are not narrative
    assert "— 2 —" not in text and "申请人情况" not in text
    overview = [p.section for p in report.passages if p.kind == "text" and p.section_key == "overview"]
    assert "一、总体情况 / （二）依申请公开" in overview


def test_ruled_pdf_empty_cells_stay_in_their_columns(cid_font):
    # the 法人或其他组织 cells that are 0 left empty: a ruled table keeps their place, so nothing shifts
    rows = tuple((g, label, key, tuple("" if 1 <= j <= 5 and v == 0 else v for j, v in enumerate(values)))
                 for g, label, key, values in T3_2021)
    report = parse_bytes(_ruled_pdf(cid_font, table3=_ruled_table3(rows)), "sthj.pdf")
    assert row_values(report, "三", "new_received") == [31, 6, 2, 1, 3, 1, 44]
    assert row_values(report, "三", "carried_over") == [4, 1, None, None, None, None, 5]
    assert row_values(report, "三", "withheld.process_info") == [1, None, None, None, None, 1, 2]
    assert row_values(report, "三", "total") == [32, 6, 2, 1, 3, 1, 45]
    assert cells_by_key(report)[("三", "carried_over", "research")].status == "blank"
    assert not any(c.status == "unknown" for c in report.cells)
    assert report.findings == ()


# --- a 2019-format report as a Word file --------------------------------------------------------------------------
TABLE2_2019 = (
    ("第二十条第（一）项", ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
     (("规章", ("0", "0", "0")), ("规范性文件", ("5", "5", "41")))),
    ("第二十条第（五）项", ("上一年项目数量", "本年增/减", "处理决定数量"),
     (("行政许可", ("86", "-3", "2310")), ("其他对外管理服务事项", ("12", "+2", "540")))),
    ("第二十条第（六）项", ("上一年项目数量", "本年增/减", "处理决定数量"),
     (("行政处罚", ("37", "0", "189")), ("行政强制", ("6", "－1", "9")))),
    ("第二十条第（八）项", ("上一年项目数量", "本年增/减", ""), (("行政事业性收费", ("4", "0", "")),)),
    ("第二十条第（九）项", ("采购项目数量", "采购总金额", ""), (("政府集中采购", ("18", "236.75万元", "")),)),
)


def _word_table2_2019(out) -> None:
    cell = word_grid(out, sum(2 + len(items) for *_, items in TABLE2_2019), 4)
    r = 0
    for caption, headers, items in TABLE2_2019:
        cell(r, 0).merge(cell(r, 3)).text = caption
        cell(r + 1, 0).text = "信息内容"
        for j, header in enumerate(headers, start=1):
            cell(r + 1, j).text = header
        for i, (label, values) in enumerate(items, start=r + 2):
            cell(i, 0).text = label
            for j, value in enumerate(values, start=1):
                cell(i, j).text = value
        r += 2 + len(items)


def _word_table4_in_three_parts(out) -> None:
    """Table 四 as three small tables, one per group, each with its own caption and result headers."""
    captions = ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")
    for caption, values in zip(captions, T4_VALUES):
        cell = word_grid(out, 3, 5)
        cell(0, 0).merge(cell(0, 4)).text = caption
        for j, header in enumerate(("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")):
            cell(1, j).text = header
            cell(2, j).text = str(values[j])
        out.add_paragraph("")


def _word_report_2019() -> bytes:
    out = docx.Document()
    out.add_paragraph("临江市江北区人民政府办公室2020年政府信息公开工作年度报告")
    out.add_paragraph("本年度报告根据《中华人民共和国政府信息公开条例》要求编制，报告中所列数据统计期限"
                      "自2020年1月1日起至2020年12月31日止。")
    out.add_paragraph("一、总体情况")
    out.add_paragraph("2020年，区政府办公室认真贯彻落实政府信息公开各项要求，全年主动公开政府信息863条。")
    out.add_paragraph("二、主动公开政府信息情况")
    _word_table2_2019(out)
    out.add_paragraph("三、收到和处理政府信息公开申请情况")
    word_table3(out, T3_2019)
    out.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    _word_table4_in_three_parts(out)
    out.add_paragraph("五、存在的主要问题及改进情况")
    out.add_paragraph("政府信息公开工作仍存在公开内容不够全面等问题。下一步，我们将进一步完善公开制度。")
    out.add_paragraph("六、其他需要报告的事项")
    out.add_paragraph("无。")
    out.add_paragraph("临江市江北区人民政府办公室")
    out.add_paragraph("2021年1月28日")
    return docx_bytes(out)


@pytest.fixture(scope="module")
def word_2019():
    return parse_bytes(_word_report_2019(), "jiangbei.docx")


def test_docx_2019_metadata(word_2019):
    report = word_2019
    assert (report.body, report.body_full, report.year, report.format) == (
        "临江市江北区人民政府办公室", "临江市江北区人民政府办公室", 2020, "2019")


def test_docx_2019_table2_previous_items_change_and_procurement(word_2019):
    report = word_2019
    cells = cells_by_key(report)
    assert row_values(report, "二", "regulations", ("made", "published", "total_public")) == [0, 0, 0]
    assert row_values(report, "二", "normative_documents", ("made", "published", "total_public")) == [5, 5, 41]
    items = ("previous_items", "change", "decisions")
    assert row_values(report, "二", "licensing", items) == [86, -3, 2310]
    # its 本年增/减 "+2": see test_text_2019_change_column_signs
    assert row_values(report, "二", "other_services", ("previous_items", "decisions")) == [12, 540]
    assert row_values(report, "二", "punishment", items) == [37, 0, 189]
    assert row_values(report, "二", "coercion", items) == [6, -1, 9]
    assert row_values(report, "二", "fees", ("previous_items", "change")) == [4, 0]
    assert cells[("二", "procurement", "items")].value == 18
    amount = cells[("二", "procurement", "amount")]
    assert (amount.value, amount.unit, amount.status) == (236.75, "万元", "ok")
    assert all(c.status == "ok" for c in report.cells if c.table == "二")


def test_docx_2019_table3_single_other_row(word_2019):
    report = word_2019
    _assert_table3(report, T3_2019)
    assert not any(c.row_key.startswith("other.") for c in report.cells if c.table == "三")
    assert report.findings == ()


def test_docx_2019_table4_as_three_small_tables(word_2019):
    _assert_table4(word_2019)
    assert word_2019.warnings == ()


# --- text reports: Word's copy-as-text (one row per line, tabs between cells) -----------------------------------
TABLE2_TAB = (
    "第二十条第（一）项", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "规章\t0\t0\t2", "行政规范性文件\t7\t1\t33",
    "第二十条第（五）项", "信息内容\t本年处理决定数量", "行政许可\t1203",
    "第二十条第（六）项", "信息内容\t本年处理决定数量", "行政处罚\t456", "行政强制\t12",
    "第二十条第（八）项", "信息内容\t本年收费金额（单位：万元）", "行政事业性收费\t3.52",
)
TABLE4_TAB = (
    "行政复议\t\t\t\t\t行政诉讼",
    "\t\t\t\t\t未经复议直接起诉\t\t\t\t\t复议后起诉",
    "\t".join(("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 3),
    "\t".join(str(v) for group in T4_VALUES for v in group),
)
OVERVIEW = ("一、总体情况", "2021年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息1,286条。")
CLOSING = ("五、存在的主要问题及改进情况", "政府信息公开工作仍存在公开内容不够全面等问题。下一步，我们将进一步完善公开制度。",
           "六、其他需要报告的事项", "本年度未收取信息处理费。")


def _table3_tab(rows=T3_2021, cells=None) -> list[str]:
    """Table 三 with its header rows, two label columns; ``cells`` maps a row key to the seven cell texts to write."""
    lines = ["\t\t申请人情况", "\t\t自然人\t法人或其他组织\t\t\t\t\t总计", "\t\t\t" + "\t".join(T3_HEADERS[1:6]) + "\t"]
    for group, label, key, values in rows:
        texts = (cells or {}).get(key) or [str(v) for v in values]
        lines.append("\t".join(([group, label] if group else [label, ""]) + list(texts)))
    return lines


def _text_report(*, title=("临江市市场监督管理局2021年政府信息公开工作年度报告",), period=PERIOD_2021,
                 overview=OVERVIEW, table2=TABLE2_TAB, before_table3=(), table3=None, table4=TABLE4_TAB,
                 signature=("临江市市场监督管理局", "2022年1月25日")) -> bytes:
    lines = [*title, period, *overview, "二、主动公开政府信息情况", *table2,
             "三、收到和处理政府信息公开申请情况", *before_table3, *(table3 if table3 is not None else _table3_tab()),
             "四、政府信息公开行政复议、行政诉讼情况", *table4, *CLOSING, *signature]
    return "\n".join(line for line in lines if line is not None).encode("utf-8")


def test_text_tab_rows_baseline():
    report = parse_bytes(_text_report(), "scj.txt")
    assert (report.body, report.year, report.format) == ("临江市市场监督管理局", 2021, "2021")
    _assert_table3(report)
    _assert_table4(report)
    assert report.findings == () and report.warnings == ()


# --- cells that hold units, words and dashes ----------------------------------------------------------------------
WORDED = {
    "new_received": ["31件", "6 件", "2件", "1件", "3件", "1件", "44件"],
    "carried_over": ["4", "1", "——", "/", "－", "—", "5"],
    "withheld.state_secret": ["无"] * 7,
    "withheld.third_party": ["2", "0件", "无", "0", "0", "0", "2"],
    "unavailable.not_held": ["6", "1", "1", "0", "1", "0", "9（注）"],
}


@pytest.fixture(scope="module")
def worded():
    return parse_bytes(_text_report(table3=_table3_tab(cells=WORDED)), "scj.txt")


def test_cells_with_a_unit_word_are_numbers(worded):
    assert row_values(worded, "三", "new_received") == [31, 6, 2, 1, 3, 1, 44]
    assert all(c.status == "ok" and c.unit is None for c in worded.cells if c.row_key == "new_received")


def test_dash_and_slash_cells_are_blank_not_zero(worded):
    assert row_values(worded, "三", "carried_over") == [4, 1, None, None, None, None, 5]
    cells = cells_by_key(worded)
    assert [cells[("三", "carried_over", col)].status for col in T3_COLS[2:6]] == ["blank"] * 4


def test_wu_cells_are_zero(worded):
    assert row_values(worded, "三", "withheld.state_secret") == [0] * 7
    assert row_values(worded, "三", "withheld.third_party") == [2, 0, 0, 0, 0, 0, 2]
    assert all(c.status == "ok" for c in worded.cells if c.row_key.startswith("withheld."))


def test_footnote_in_brackets_after_a_number(worded):
    cell = cells_by_key(worded)[("三", "unavailable.not_held", "total")]
    assert (cell.value, cell.status) == (9, "ok")
    _assert_rest_unchanged(worded, set(WORDED))


@pytest.mark.parametrize("mark", ["22*", "22①", "22※"])
def test_footnote_mark_after_a_number(mark):
    cells = {"disclosed": ["15", "3", "1", "1", "2", "0", mark]}
    report = parse_bytes(_text_report(table3=_table3_tab(cells=cells)), "scj.txt")
    _assert_rest_unchanged(report, {"disclosed"})
    assert row_values(report, "三", "disclosed") == [15, 3, 1, 1, 2, 0, 22]


# --- rows left empty, rows of 无 --------------------------------------------------------------------------------
EMPTY_ROWS = ("withheld.state_secret", "withheld.prohibited_by_law", "withheld.three_safeties")


def test_rows_with_every_cell_empty_are_blank_not_zero():
    cells = {key: [""] * 7 for key in EMPTY_ROWS}
    report = parse_bytes(_text_report(table3=_table3_tab(cells=cells)), "scj.txt")
    for key in EMPTY_ROWS:
        assert row_values(report, "三", key) == [None] * 7, key
        # the row is there, its cells empty: not a row the report lacks
        assert all(c.status == "blank" and c.warning is None for c in report.cells if c.row_key == key), key
    _assert_rest_unchanged(report, set(EMPTY_ROWS))
    assert report.findings == ()


def test_row_of_wu_is_zero():
    cells = {key: ["无"] * 7 for key in EMPTY_ROWS}
    report = parse_bytes(_text_report(table3=_table3_tab(cells=cells)), "scj.txt")
    for key in EMPTY_ROWS:
        assert row_values(report, "三", key) == [0] * 7, key
        assert all(c.status == "ok" for c in report.cells if c.row_key == key), key
    _assert_rest_unchanged(report, set(EMPTY_ROWS))
    assert report.findings == ()


def test_one_cell_per_line_rows_with_every_cell_empty_are_blank():
    """The one-cell-per-line layout (each cell on its own tab-prefixed line, a blank line between rows)."""
    lines = ["\t申请人情况", "", "\t自然人", "\t法人或其他组织", "\t总计", ""]
    for group, label, key, values in T3_2021:
        lines += [f"\t{group}"] if group else []
        lines += [f"\t{label}"] + [f"\t{'' if key in EMPTY_ROWS else v}" for v in values] + [""]
    report = parse_bytes(_text_report(table3=lines), "scj.txt")
    for key in EMPTY_ROWS:
        assert row_values(report, "三", key) == [None] * 7, key
        assert all(c.status == "blank" and c.warning is None for c in report.cells if c.row_key == key), key
    _assert_rest_unchanged(report, set(EMPTY_ROWS))
    assert report.findings == () and report.warnings == ()


# --- narrative in a table section, its lines broken as text copied out of a PDF has them -----------------------
# A sentence above table 二, broken at about 30 characters (as in the 上海市科委 fixture) so that one line starts with
# 行政处罚 and ends with the 12 of 行政强制决定12件.
PROACTIVE_NARRATIVE = ("本年度，本局在门户网站“双公示”专栏及时公开行政许可和",
                       "行政处罚决定信息，其中行政许可决定1203件，行政强制决定12",
                       "件，均在作出决定之日起7个工作日内公开。")


@pytest.fixture(scope="module")
def proactive_narrative():
    return parse_bytes(_text_report(table2=PROACTIVE_NARRATIVE + TABLE2_TAB), "scj.txt")


def test_wrapped_narrative_above_table2_is_not_the_punishment_row(proactive_narrative):
    cells = cells_by_key(proactive_narrative)
    assert [cells[("二", k, "decisions")].value for k in ("licensing", "punishment", "coercion")] == [1203, 456, 12]


def test_wrapped_narrative_above_table2_is_kept_whole(proactive_narrative):
    text = _text(proactive_narrative).replace("\n", "")
    assert "行政强制决定12件，均在作出决定之日起7个工作日内公开。" in text


def test_wrapped_sentence_in_section_three_ending_in_a_number_is_not_a_row():
    # text out of a PDF, hard line breaks at about 30 characters (as in the 上海市科委 fixture): the sentence above
    # table 三 breaks right after a number
    before = ("本年度本机关共新收政府信息公开申请44件，其中上年结转政府信息公开申请5", "件，均已依法答复，无逾期答复情况。")
    report = parse_bytes(_text_report(before_table3=before), "scj.txt")
    _assert_table3(report)
    assert report.warnings == ()


# --- narrative that quotes other years' numbers ---------------------------------------------------------------------
def test_other_years_in_the_narrative_do_not_leak_into_year_or_cells():
    overview = ("一、总体情况",
                "2020年，本机关收到政府信息公开申请15件；2019年收到12件。2021年收到申请44件，较2020年增加29件。",
                "（一）主动公开",
                "2020年主动公开政府信息1,024条，2019年主动公开986条。",
                "（二）依申请公开",
                "2020年结转至本年度的申请5件，已全部办结。")
    report = parse_bytes(_text_report(title=("临江市市场监督管理局政府信息公开工作年度报告",), overview=overview),
                         "scj.txt")
    assert (report.year, report.format) == (2021, "2021")
    _assert_table3(report)
    assert report.warnings == ()


def test_year_without_title_year_or_period_is_not_the_year_the_text_compares_with():
    # no year in the title, no statistics-period sentence: the opening text names 2020 more often than 2021
    overview = ("一、总体情况",
                "2021年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。",
                "2020年本机关收到申请15件，2020年主动公开信息1,024条；与2020年相比，本年收到申请增加29件。")
    report = parse_bytes(_text_report(title=("临江市市场监督管理局政府信息公开工作年度报告",), period=None,
                                      overview=overview), "scj.txt")
    assert report.year == 2021


# --- bodies below the county level, in the title or only in the signature --------------------------------------------
BODIES = [  # (name as written, short name): a 街道/镇 keeps its place (城关镇 is a town in many counties)
    ("临江市江北区人民政府办公室", "临江市江北区人民政府办公室"),
    pytest.param("临江市江北区东湖街道办事处", "临江市江北区东湖街道", id="district-street"),
    pytest.param("临江县青山镇人民政府", "临江县青山镇", id="town-government"),
    ("临江市生态环境局江北分局", "临江市生态环境局江北分局"),
    ("临江市江北区人民政府东湖街道办事处", "东湖街道"),
]


@pytest.mark.parametrize("full, short", BODIES)
def test_body_in_the_title(full, short):
    report = parse_bytes(_text_report(title=(f"{full}2021年政府信息公开工作年度报告",), signature=(full, "2022年1月20日")),
                         "body.txt")
    assert (report.body_full, report.body, report.year) == (full, short, 2021)


@pytest.mark.parametrize("full, short", BODIES)
def test_body_only_in_the_signature(full, short):
    report = parse_bytes(_text_report(title=("2021年政府信息公开工作年度报告",), signature=(full, "2022年1月20日")),
                         "body.txt")
    assert (report.body_full, report.body, report.year) == (full, short, 2021)


def test_body_in_a_signature_line_that_ends_with_the_date():
    report = parse_bytes(_text_report(title=("2021年政府信息公开工作年度报告",),
                                      signature=("临江市江北区人民政府办公室 2022年1月20日",)), "body.txt")
    assert (report.body_full, report.year) == ("临江市江北区人民政府办公室", 2021)


# --- web pages ----------------------------------------------------------------------------------------------------
def _td(text, **attrs) -> str:
    spans = "".join(f' {name}="{value}"' for name, value in attrs.items())
    return f"<td{spans}>{text}</td>"


def _html_table3_rows(rows) -> list[str]:
    out = []
    outcomes = sum(1 for *_, key, _ in rows if key not in T3_FLOW)
    sizes: dict[str, int] = {}
    for group, *_ in rows:
        if group:
            sizes[group] = sizes.get(group, 0) + 1
    opened: set[str] = set()
    for group, label, key, values in rows:
        cells = ""
        if key in T3_FLOW:
            cells += _td(label, colspan=3)
        else:
            if not opened and outcomes:
                cells += _td("三、本年度办理结果", rowspan=outcomes)
                opened.add("三")
            if group and group not in opened:
                cells += _td(group, rowspan=sizes[group])
                opened.add(group)
            cells += _td(label) if group else _td(label, colspan=2)
        out.append("<tr>" + cells + "".join(_td(v) for v in values) + "</tr>")
    return out


T3_HTML_HEADER = (f'<tr>{_td(CHECK_NOTE, rowspan=3, colspan=3)}{_td("申请人情况", colspan=7)}</tr>'
                  f'<tr>{_td("自然人", rowspan=2)}{_td("法人或其他组织", colspan=5)}{_td("总计", rowspan=2)}</tr>'
                  "<tr>" + "".join(_td(h) for h in T3_HEADERS[1:6]) + "</tr>")
T2_HTML = ('<table border="1">'
           + f'<tr>{_td("第二十条第（一）项", colspan=4)}</tr>'
           + "<tr>" + "".join(_td(h) for h in ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")) + "</tr>"
           + f"<tr>{_td('规章')}{_td(0)}{_td(0)}{_td(2)}</tr><tr>{_td('行政规范性文件')}{_td(7)}{_td(1)}{_td(33)}</tr>"
           + f'<tr>{_td("第二十条第（五）项", colspan=4)}</tr>'
           + f'<tr>{_td("信息内容")}{_td("本年处理决定数量", colspan=3)}</tr><tr>{_td("行政许可")}{_td(1203, colspan=3)}</tr>'
           + f'<tr>{_td("第二十条第（六）项", colspan=4)}</tr>'
           + f'<tr>{_td("信息内容")}{_td("本年处理决定数量", colspan=3)}</tr>'
           + f'<tr>{_td("行政处罚")}{_td(456, colspan=3)}</tr><tr>{_td("行政强制")}{_td(12, colspan=3)}</tr>'
           + f'<tr>{_td("第二十条第（八）项", colspan=4)}</tr>'
           + f'<tr>{_td("信息内容")}{_td("本年收费金额（单位：万元）", colspan=3)}</tr>'
           + f'<tr>{_td("行政事业性收费")}{_td(3.52, colspan=3)}</tr></table>')
T4_HTML = ('<table border="1">'
           f'<tr>{_td("行政复议", colspan=5, rowspan=2)}{_td("行政诉讼", colspan=10)}</tr>'
           f'<tr>{_td("未经复议直接起诉", colspan=5)}{_td("复议后起诉", colspan=5)}</tr>'
           "<tr>" + "".join(_td(h) for h in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 3) + "</tr>"
           "<tr>" + "".join(_td(v) for group in T4_VALUES for v in group) + "</tr></table>")


def _html_content(table3: str, *, heading: str = "", overview=OVERVIEW) -> str:
    paragraphs = "".join(f"<p>{text}</p>" for text in (PERIOD_2021, *overview))
    closing = "".join(f"<p>{text}</p>" for text in CLOSING)
    return (f"{heading}{paragraphs}<p>二、主动公开政府信息情况</p>{T2_HTML}"
            f"<p>三、收到和处理政府信息公开申请情况</p>{table3}<p>四、政府信息公开行政复议、行政诉讼情况</p>{T4_HTML}"
            f"{closing}<p>临江市江北区人民政府办公室</p><p>2022年1月20日</p>")


def _html_page(content: str, title: str = "临江市江北区人民政府办公室2021年政府信息公开工作年度报告") -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"/><title>{title}</title></head><body>'
            f'<div class="header">临江市江北区人民政府</div><div class="position">当前位置：首页 &gt; 政府信息公开 &gt; 年度报告</div>'
            f'<div class="article">{content}</div><div class="footer">主办：临江市江北区人民政府办公室</div>'
            "</body></html>").encode("utf-8")


H1 = "<h1>临江市江北区人民政府办公室2021年政府信息公开工作年度报告</h1>"


def test_html_table3_cut_into_two_tables():
    rows = _html_table3_rows(T3_2021)
    table3 = (f'<table border="1">{T3_HTML_HEADER}{"".join(rows[:-1])}</table>'
              f'<table border="1">{rows[-1]}</table>')
    report = parse_bytes(_html_page(_html_content(table3, heading=H1)), "jb.html")
    assert (report.body, report.year, report.format) == ("临江市江北区人民政府办公室", 2021, "2021")
    _assert_table3(report)
    _assert_table4(report)
    assert report.findings == () and report.warnings == ()


def test_html_table3_cut_after_row_two():
    # the first part holds the header and rows 一、二; the second the rest, 三、本年度办理结果 to 四
    first, second = _html_table3_rows(T3_2021[:2]), _html_table3_rows(T3_2021[2:])
    table3 = f'<table border="1">{T3_HTML_HEADER}{"".join(first)}</table><table border="1">{"".join(second)}</table>'
    report = parse_bytes(_html_page(_html_content(table3, heading=H1)), "jb.html")
    _assert_table3(report)
    assert report.warnings == ()


def test_html_report_inside_a_layout_table():
    table3 = f'<table border="1">{T3_HTML_HEADER}{"".join(_html_table3_rows(T3_2021))}</table>'
    content = (f'<table width="100%"><tr><td class="title">{H1}</td></tr>'
               f'<tr><td><table width="960"><tr><td>{_html_content(table3)}</td></tr></table></td></tr>'
               '<tr><td>【打印本页】【关闭窗口】</td></tr></table>')
    report = parse_bytes(_html_page(content), "jb.html")
    assert (report.body, report.year, report.title) == (
        "临江市江北区人民政府办公室", 2021, "临江市江北区人民政府办公室2021年政府信息公开工作年度报告")
    _assert_table3(report)
    _assert_table4(report)
    assert row_values(report, "二", "normative_documents", ("issued", "repealed", "in_force")) == [7, 1, 33]
    assert "打印本页" not in _text(report)


@pytest.mark.parametrize("suffix", ["_临江市江北区人民政府", " - 临江市江北区人民政府", "|临江市江北区人民政府门户网站"])
def test_html_title_only_in_the_title_element_with_a_site_suffix(suffix):
    table3 = f'<table border="1">{T3_HTML_HEADER}{"".join(_html_table3_rows(T3_2021))}</table>'
    page = _html_page(_html_content(table3), title="临江市江北区人民政府办公室2021年政府信息公开工作年度报告" + suffix)
    report = parse_bytes(page, "jb.html")
    assert report.title == "临江市江北区人民政府办公室2021年政府信息公开工作年度报告"
    assert (report.body, report.year, report.format) == ("临江市江北区人民政府办公室", 2021, "2021")
    _assert_table3(report)


# --- table 二 and 四 cells -------------------------------------------------------------------------------------------
TABLE2_2019_TAB = (
    "第二十条第（一）项", "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量", "规章\t/\t/\t/", "规范性文件\t5\t5\t41",
    "第二十条第（五）项", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量", "行政许可\t86\t{change}\t2310",
    "其他对外管理服务事项\t12\t0\t540",
    "第二十条第（六）项", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量", "行政处罚\t37\t0\t189", "行政强制\t6\t0\t9",
    "第二十条第（八）项", "信息内容\t上一年项目数量\t本年增/减", "行政事业性收费\t——\t——",
    "第二十条第（九）项", "信息内容\t采购项目数量\t采购总金额", "政府集中采购\t18\t236.75万元",
)
PERIOD_2020 = "本报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。"


def _text_report_2019(change: str = "-3") -> bytes:
    table2 = tuple(line.replace("{change}", change) for line in TABLE2_2019_TAB)
    return _text_report(title=("临江市江北区人民政府办公室2020年政府信息公开工作年度报告",), period=PERIOD_2020,
                        overview=("一、总体情况", "2020年，区政府办公室全年主动公开政府信息863条。"), table2=table2,
                        table3=_table3_tab(T3_2019), signature=("临江市江北区人民政府办公室", "2021年1月28日"))


def _parse_2019(change: str):
    return parse_bytes(_text_report_2019(change), "jb.txt")


def test_text_2019_table2_dashes_are_blank():
    report = _parse_2019("-3")
    assert (report.year, report.format) == (2020, "2019")
    assert row_values(report, "二", "regulations", ("made", "published", "total_public")) == [None] * 3
    assert row_values(report, "二", "fees", ("previous_items", "change")) == [None, None]
    assert {c.status for c in report.cells if c.row_key in ("regulations", "fees")} == {"blank"}
    assert row_values(report, "二", "normative_documents", ("made", "published", "total_public")) == [5, 5, 41]
    amount = cells_by_key(report)[("二", "procurement", "amount")]
    assert (amount.value, amount.unit) == (236.75, "万元")
    _assert_table3(report, T3_2019)


@pytest.mark.parametrize("change, value", [
    ("-3", -3), ("－3", -3), ("0", 0), ("3", 3),
    ("+2", 2),
    ("＋2", 2),
])
def test_text_2019_change_column_signs(change, value):
    cell = cells_by_key(_parse_2019(change))[("二", "licensing", "change")]
    assert (cell.value, cell.status) == (value, "ok")


def test_table4_wu_and_dash_cells():
    values = ["无", "无", "无", "无", "无", "1", "0", "0", "——", "1", "/", "/", "/", "/", "/"]
    report = parse_bytes(_text_report(table4=(*TABLE4_TAB[:3], "\t".join(values))), "scj.txt")
    assert row_values(report, "四", "review", T4_COLS) == [0] * 5
    assert row_values(report, "四", "litigation_direct", T4_COLS) == [1, 0, 0, None, 1]
    assert row_values(report, "四", "litigation_after_review", T4_COLS) == [None] * 5
    assert {c.status for c in report.cells if c.row_key == "litigation_after_review"} == {"blank"}


def test_towns_of_one_name_in_two_counties_are_two_bodies():
    """The short name is a report's identity: 甲县 and 乙县 each have a 城关镇, and one must not replace the other."""
    reports = [parse_bytes(_text_report(title=(f"{county}城关镇人民政府2021年政府信息公开工作年度报告",),
                                        signature=(f"{county}城关镇人民政府", "2022年1月20日")), f"{county}.txt")
               for county in ("甲县", "乙县")]
    assert [r.body for r in reports] == ["甲县城关镇", "乙县城关镇"]


@pytest.mark.parametrize("signature, year", [
    (("临江市市场监督管理局", "2024年1月20日"), 2023),  # signed the January after the year the text names
    (("临江市市场监督管理局", "2024年1月20日", "（此件公开发布）", "【打印本页】【关闭窗口】"), 2023),  # page footer after
    (("临江市市场监督管理局",), 2023),  # no date: the year the opening text names most
])
def test_the_year_from_the_signature_date_or_the_opening_text(signature, year):
    report = parse_bytes(_text_report(
        title=("临江市市场监督管理局政府信息公开工作年度报告",), period=None,
        overview=("一、总体情况", "2023年，本局认真贯彻《条例》。2023年全年主动公开政府信息120条，2023年新建专栏3个。"),
        signature=signature), "scj.txt")
    assert report.year == year

