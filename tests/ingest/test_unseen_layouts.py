"""Layouts the shipped samples do not have, built here from the template: a 2021-format report as a Word file
with the template's merged headers, a government web page, full-width digits and thousands separators, money
cells, headings written differently, metadata stated only in odd places, a blank 总计 column.

Every input is written in this file; each test checks the numbers it wrote in, and that a cell left blank is
not stated (None), never 0.
"""
from __future__ import annotations

import re

import docx
import pytest

from ingest.report import parse_bytes
from tests.ingest.layouts import (CHECK_NOTE, T3_FLOW, T3_HEADERS, T4_COLS, cells_by_key, docx_bytes, row_values,
                                  pdf_of_lines, word_grid, word_table3)


# Table 三 of a 2021-format report, every column different so that a shifted column shows:
# (group label, item label, row key, seven values). The numbers obey every rule of the template.
T3_2021 = (
    ("", "一、本年新收政府信息公开申请数量", "new_received", (40, 5, 1, 0, 2, 0, 48)),
    ("", "二、上年结转政府信息公开申请数量", "carried_over", (3, 1, 0, 0, 0, 0, 4)),
    ("", "（一）予以公开", "disclosed", (20, 2, 1, 0, 1, 0, 24)),
    ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_disclosed", (5, 1, 0, 0, 0, 0, 6)),
    ("（三）不予公开", "1.属于国家秘密", "withheld.state_secret", (0, 0, 0, 0, 0, 0, 0)),
    ("（三）不予公开", "2.其他法律行政法规禁止公开", "withheld.prohibited_by_law", (0, 0, 0, 0, 0, 0, 0)),
    ("（三）不予公开", "3.危及“三安全一稳定”", "withheld.three_safeties", (0, 0, 0, 0, 0, 0, 0)),
    ("（三）不予公开", "4.保护第三方合法权益", "withheld.third_party", (2, 0, 0, 0, 0, 0, 2)),
    ("（三）不予公开", "5.属于三类内部事务信息", "withheld.internal_affairs", (0, 0, 0, 0, 0, 0, 0)),
    ("（三）不予公开", "6.属于四类过程性信息", "withheld.process_info", (1, 0, 0, 0, 0, 0, 1)),
    ("（三）不予公开", "7.属于行政执法案卷", "withheld.enforcement_files", (0, 0, 0, 0, 0, 0, 0)),
    ("（三）不予公开", "8.属于行政查询事项", "withheld.query_matters", (0, 0, 0, 0, 0, 0, 0)),
    ("（四）无法提供", "1.本机关不掌握相关政府信息", "unavailable.not_held", (8, 1, 0, 0, 1, 0, 10)),
    ("（四）无法提供", "2.没有现成信息需要另行制作", "unavailable.needs_creation", (1, 0, 0, 0, 0, 0, 1)),
    ("（四）无法提供", "3.补正后申请内容仍不明确", "unavailable.still_unclear", (0, 0, 0, 0, 0, 0, 0)),
    ("（五）不予处理", "1.信访举报投诉类申请", "not_processed.petition", (2, 0, 0, 0, 0, 0, 2)),
    ("（五）不予处理", "2.重复申请", "not_processed.repeated", (1, 0, 0, 0, 0, 0, 1)),
    ("（五）不予处理", "3.要求提供公开出版物", "not_processed.publications", (0, 0, 0, 0, 0, 0, 0)),
    ("（五）不予处理", "4.无正当理由大量反复申请", "not_processed.excessive", (0, 0, 0, 0, 0, 0, 0)),
    ("（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", "not_processed.confirmation", (0, 0, 0, 0, 0, 0, 0)),
    ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other.overdue_correction",
     (1, 0, 0, 0, 0, 0, 1)),
    ("（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other.unpaid_fees",
     (0, 0, 0, 0, 0, 0, 0)),
    ("（六）其他处理", "3.其他", "other.other", (0, 0, 0, 0, 0, 0, 0)),
    ("", "（七）总计", "total", (41, 4, 1, 0, 2, 0, 48)),
    ("", "四、结转下年度继续办理", "carried_forward", (2, 2, 0, 0, 0, 0, 4)),
)
T4_VALUES = ((1, 0, 1, 0, 2), (0, 1, 0, 1, 2), (0, 0, 0, 1, 1))  # 行政复议, 直接起诉, 复议后起诉

OVERVIEW = ("一、总体情况",
            "2021年，本局深入贯彻《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
            "全年主动公开政府信息1,286条，办理政府信息公开申请48件。")
CLOSING = ("五、存在的主要问题及改进情况",
           "政府信息公开工作仍存在公开内容不够全面、解读形式较为单一等问题。下一步，本局将进一步完善公开制度。",
           "六、其他需要报告的事项",
           "本年度未收取信息处理费。")


def _full_width(text: str) -> str:
    """Digits and the decimal point as a Chinese input method in full-width mode types them."""
    return text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))


def _assert_table3_2021(report) -> None:
    for _, _, key, values in T3_2021:
        assert row_values(report, "三", key) == list(values), key
    assert all(c.status == "ok" for c in report.cells if c.table == "三")


def _assert_table4(report) -> None:
    for key, values in zip(("review", "litigation_direct", "litigation_after_review"), T4_VALUES):
        assert row_values(report, "四", key, T4_COLS) == list(values), key


# --- a 2021-format report as a Word file, the template's merged cells ------------------------------------------
def _word_table2_2021(out) -> None:
    """Table 二 as the 2021 template draws it: block captions merged across, one merged value per single row."""
    cell = word_grid(out, 14, 4)
    blocks = [
        ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"),
         [("规章", ("1", "0", "3")), ("行政规范性文件", ("12", "2", "45"))]),
        ("第二十条第（五）项", ("本年处理决定数量",), [("行政许可", ("356",))]),
        ("第二十条第（六）项", ("本年处理决定数量",), [("行政处罚", ("78",)), ("行政强制", ("5",))]),
        ("第二十条第（八）项", ("本年收费金额（单位：万元）",), [("行政事业性收费", ("245.6",))]),
    ]
    r = 0
    for caption, headers, rows in blocks:
        cell(r, 0).merge(cell(r, 3)).text = caption
        cell(r + 1, 0).text = "信息内容"
        if len(headers) == 3:
            for j, header in enumerate(headers, start=1):
                cell(r + 1, j).text = header
        else:
            cell(r + 1, 1).merge(cell(r + 1, 3)).text = headers[0]
        for i, (label, values) in enumerate(rows, start=r + 2):
            cell(i, 0).text = label
            if len(values) == 3:
                for j, value in enumerate(values, start=1):
                    cell(i, j).text = value
            else:
                cell(i, 1).merge(cell(i, 3)).text = values[0]
        r += 2 + len(rows)


def _word_table4(out) -> None:
    """Table 四 with its two-level header: 行政复议 merged down two rows, 行政诉讼 over ten columns, then the two
    kinds of 行政诉讼, then the five result columns three times."""
    cell = word_grid(out, 4, 15)
    cell(0, 0).merge(cell(1, 4)).text = "行政复议"
    cell(0, 5).merge(cell(0, 14)).text = "行政诉讼"
    cell(1, 5).merge(cell(1, 9)).text = "未经复议直接起诉"
    cell(1, 10).merge(cell(1, 14)).text = "复议后起诉"
    for g in range(3):
        for j, header in enumerate(("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")):
            cell(2, 5 * g + j).text = header
            cell(3, 5 * g + j).text = str(T4_VALUES[g][j])


def _word_report_2021(*, blank_total: bool = False) -> bytes:
    out = docx.Document()
    title = out.add_paragraph().add_run("临江市市场监督管理局")
    title.add_break()  # the title over two lines: a line break inside one Word paragraph
    title.add_text("2021年政府信息公开工作年度报告")
    out.add_paragraph("本报告由临江市市场监督管理局根据《中华人民共和国政府信息公开条例》编制，"
                      "所列数据的统计期限自2021年1月1日起至2021年12月31日止。")
    for text in OVERVIEW:
        out.add_paragraph(text)
    out.add_paragraph("二、主动公开政府信息情况")
    _word_table2_2021(out)
    out.add_paragraph("三、收到和处理政府信息公开申请情况")
    word_table3(out, T3_2021, blank_total=blank_total)
    out.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    _word_table4(out)
    for text in CLOSING:
        out.add_paragraph(text)
    out.add_paragraph("临江市市场监督管理局")
    out.add_paragraph("2022年1月25日")
    return docx_bytes(out)


@pytest.fixture(scope="module")
def word_2021():
    return parse_bytes(_word_report_2021(), "linjiang.docx")


def test_docx_2021_metadata_title_over_two_lines(word_2021):
    report = word_2021
    assert (report.body, report.year, report.format) == ("临江市市场监督管理局", 2021, "2021")
    assert report.title == "临江市市场监督管理局2021年政府信息公开工作年度报告"


def test_docx_2021_table3_three_row_header_and_vertical_merges(word_2021):
    report = word_2021
    _assert_table3_2021(report)
    # the 2019 single （六）其他处理 row is not made up in a 2021 report
    assert not any(c.row_key == "other" for c in report.cells if c.table == "三")
    assert report.findings == ()


def test_docx_2021_table2_merged_single_value_rows(word_2021):
    report = word_2021
    cells = cells_by_key(report)
    assert row_values(report, "二", "regulations", ("issued", "repealed", "in_force")) == [1, 0, 3]
    assert row_values(report, "二", "normative_documents", ("issued", "repealed", "in_force")) == [12, 2, 45]
    assert [cells[("二", key, "decisions")].value for key in ("licensing", "punishment", "coercion")] == [356, 78, 5]
    fee = cells[("二", "fees", "fee_amount")]
    assert (fee.value, fee.unit, fee.status) == (245.6, "万元", "ok")


def test_docx_2021_table4_two_level_header(word_2021):
    report = word_2021
    _assert_table4(report)
    assert report.warnings == ()


def test_docx_blank_total_column_is_not_stated():
    report = parse_bytes(_word_report_2021(blank_total=True), "linjiang.docx")
    for _, _, key, values in T3_2021:
        assert row_values(report, "三", key) == [*values[:6], None], key
    assert {c.status for c in report.cells if c.table == "三" and c.col_key == "total"} == {"blank"}
    assert report.findings == ()  # a total not stated is not a total of 0 that fails to add up
    (passage,) = [p for p in report.passages if p.kind == "row" and "本年新收" in p.text]
    assert "自然人 40" in passage.text and "总计 未填" in passage.text


# --- a government web page --------------------------------------------------------------------------------------
def _td(text: str, **attrs) -> str:
    spans = "".join(f' {name}="{value}"' for name, value in attrs.items())
    return f"<td{spans}>{text}</td>"


def _html_number(value) -> str:
    return f'<p style="text-align:center"><strong><span style="font-size:14px">{value}</span></strong></p>'


def _html_label(label: str) -> str:
    """A label as a Word-to-HTML export writes it: two runs, the break in the middle of a word."""
    mid = len(label) // 2
    return f'<p><span style="font-family:宋体">{label[:mid]}</span><span lang="EN-US">{label[mid:]}</span></p>'


def _html_table2_2021() -> str:
    rows = [
        f'<tr>{_td("<p><strong>第二十条第（一）项</strong></p>", colspan=4)}</tr>',
        "<tr>" + "".join(_td(f"<p>{h}</p>") for h in ("信息内容", "本年<br/>制发件数", "本年<br/>废止件数", "现行<br/>有效件数"))
        + "</tr>",
        f"<tr>{_td('<p>规 章</p>')}{_td(_html_number(1))}{_td(_html_number(0))}{_td(_html_number(3))}</tr>",
        f"<tr>{_td(_html_label('行政规范性文件'))}{_td(_html_number(12))}{_td(_html_number(2))}{_td(_html_number(45))}</tr>",
        f'<tr>{_td("<p><strong>第二十条第（五）项</strong></p>", colspan=4)}</tr>',
        f'<tr>{_td("<p>信息内容</p>")}{_td("<p>本年处理决定数量</p>", colspan=3)}</tr>',
        f'<tr>{_td("<p>行政许可</p>")}{_td(_html_number(356), colspan=3)}</tr>',
        f'<tr>{_td("<p><strong>第二十条第（六）项</strong></p>", colspan=4)}</tr>',
        f'<tr>{_td("<p>信息内容</p>")}{_td("<p>本年处理决定数量</p>", colspan=3)}</tr>',
        f'<tr>{_td("<p>行政处罚</p>")}{_td(_html_number(78), colspan=3)}</tr>',
        f'<tr>{_td("<p>行政强制</p>")}{_td(_html_number(5), colspan=3)}</tr>',
        f'<tr>{_td("<p><strong>第二十条第（八）项</strong></p>", colspan=4)}</tr>',
        f'<tr>{_td("<p>信息内容</p>")}{_td("<p>本年收费金额（单位：万元）</p>", colspan=3)}</tr>',
        f'<tr>{_td("<p>行政事业性收费</p>")}{_td(_html_number(245.6), colspan=3)}</tr>',
    ]
    return '<table border="1" cellspacing="0" width="600">' + "".join(rows) + "</table>"


def _html_table3() -> str:
    """Table 三 with rowspan/colspan as the template draws it, header words split over paragraphs, and the
    法人或其他组织 cells that are 0 left as ``&nbsp;`` (as the shipped 沭阳 page leaves them empty)."""
    rows = [f'<tr>{_td(CHECK_NOTE, rowspan=3, colspan=3)}{_td("<p>申请人情况</p>", colspan=7)}</tr>',
            f'<tr>{_td("<p>自然</p><p>人</p>", rowspan=2)}{_td("<p>法人或其他组织</p>", colspan=5)}'
            f'{_td("<p>总</p><p>计</p>", rowspan=2)}</tr>',
            "<tr>" + "".join(_td(f"<p>{h}</p>") for h in T3_HEADERS[1:6]) + "</tr>"]
    outcomes = sum(1 for _, _, key, _ in T3_2021 if key not in T3_FLOW)
    group_sizes: dict[str, int] = {}
    for group, *_ in T3_2021:
        if group:
            group_sizes[group] = group_sizes.get(group, 0) + 1
    opened: set[str] = set()
    for group, label, key, values in T3_2021:
        cells = ""
        if key in T3_FLOW:
            cells += _td(_html_label(label), colspan=3)
        else:
            if not opened:
                cells += _td("<p>三、本年度</p><p>办理结果</p>", rowspan=outcomes)
                opened.add("三")
            if group and group not in opened:
                cells += _td(f"<p>{group[:3]}</p><p>{group[3:]}</p>", rowspan=group_sizes[group])
                opened.add(group)
            cells += _td(_html_label(label)) if group else _td(_html_label(label), colspan=2)
        for j, value in enumerate(values):
            cells += _td("&nbsp;") if 1 <= j <= 5 and value == 0 else _td(_html_number(value))
        rows.append(f"<tr>{cells}</tr>")
    return '<table border="1" cellspacing="0" style="width:100%">' + "".join(rows) + "</table>"


def _html_table4() -> str:
    results = "".join(_td(f"<p>{h}</p>") for h in ("结果<br/>维持", "结果<br/>纠正", "其他<br/>结果", "尚未<br/>审结", "总计"))
    numbers = "".join(_td(_html_number(v)) for group in T4_VALUES for v in group)
    return ('<table border="1" cellspacing="0">'
            f'<tr>{_td("<p>行政复议</p>", colspan=5, rowspan=2)}{_td("<p>行政诉讼</p>", colspan=10)}</tr>'
            f'<tr>{_td("<p>未经复议直接起诉</p>", colspan=5)}{_td("<p>复议后起诉</p>", colspan=5)}</tr>'
            f"<tr>{results * 3}</tr><tr>{numbers}</tr></table>")


def _html_page(column_heading: str = "") -> bytes:
    """A report as a government site serves it: header, navigation, breadcrumb, a left column, the article (its
    title in an h1, the report in a TRS_Editor div), share links and a footer."""
    title = "临江市教育局2021年政府信息公开工作年度报告"
    paragraphs = "".join(f'<p style="text-indent:2em"><span>{text}</span></p>' for text in OVERVIEW[1:])
    closing = "".join(f"<p>{text}</p>" for text in CLOSING)
    page = f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>
<title>{title}_临江市人民政府</title><script>var siteId = "lj"; document.write("");</script>
<style>.nav li {{ float: left; }}</style></head>
<body>
<div class="header"><div class="logo">临江市人民政府</div>
 <div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
 <li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div></div>
<div class="position">当前位置：<a href="/">首页</a>&nbsp;&gt;&nbsp;<a href="/zwgk/">政府信息公开</a>&nbsp;&gt;&nbsp;年度报告</div>
<div class="main">
 <div class="left">{column_heading}<ul><li><a href="/2020.html">2020年政府信息公开工作年度报告</a></li>
  <li><a href="/2019.html">2019年政府信息公开工作年度报告</a></li></ul></div>
 <div class="right">
  <h1 class="article-title">{title}</h1>
  <div class="info">发布日期：2022-01-20&nbsp;&nbsp;来源：临江市教育局&nbsp;&nbsp;浏览次数：<span id="hits">1024</span>
   &nbsp;字号：[<a>大</a> <a>中</a> <a>小</a>]</div>
  <div class="TRS_Editor" id="zoom">
   <p style="text-indent:2em"><span>本报告根据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限自2021年1月1日起至2021年12月31日止。</span></p>
   <p><strong><span>{OVERVIEW[0]}</span></strong></p>{paragraphs}
   <p><strong>二、主动公开政府信息情况</strong></p>{_html_table2_2021()}
   <p><strong>三、收到和处理政府信息公开申请情况</strong></p>{_html_table3()}
   <p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>{_html_table4()}
   {closing}
   <p style="text-align:right">临江市教育局</p><p style="text-align:right">2022年1月20日</p>
  </div>
  <div class="share">分享到：<a>微信</a> <a>微博</a></div>
 </div>
</div>
<div class="footer"><p>主办：临江市人民政府办公室&nbsp;&nbsp;网站标识码：3300000001</p></div>
</body></html>"""
    return page.encode("utf-8")


@pytest.fixture(scope="module")
def html_2021():
    return parse_bytes(_html_page(), "jyj.html")


def test_html_page_metadata_from_the_article_not_the_site(html_2021):
    report = html_2021
    assert (report.body, report.year, report.format) == ("临江市教育局", 2021, "2021")
    assert report.title == "临江市教育局2021年政府信息公开工作年度报告"
    # nothing of the navigation, breadcrumb, left column or footer becomes report text
    text = "\n".join(p.text for p in report.passages)
    assert "当前位置" not in text and "网站标识码" not in text and "2019年政府信息公开工作年度报告" not in text


def test_html_table3_nbsp_cells_are_blank_not_zero(html_2021):
    report = html_2021
    cells = cells_by_key(report)
    assert row_values(report, "三", "new_received") == [40, 5, 1, None, 2, None, 48]
    assert row_values(report, "三", "total") == [41, 4, 1, None, 2, None, 48]
    assert row_values(report, "三", "withheld.third_party") == [2, None, None, None, None, None, 2]
    assert cells[("三", "withheld.third_party", "commercial")].status == "blank"
    assert report.findings == ()


def test_html_table2_colspan_values_and_split_labels(html_2021):
    report = html_2021
    cells = cells_by_key(report)
    assert row_values(report, "二", "regulations", ("issued", "repealed", "in_force")) == [1, 0, 3]
    assert row_values(report, "二", "normative_documents", ("issued", "repealed", "in_force")) == [12, 2, 45]
    assert [cells[("二", key, "decisions")].value for key in ("licensing", "punishment", "coercion")] == [356, 78, 5]
    assert (cells[("二", "fees", "fee_amount")].value, cells[("二", "fees", "fee_amount")].unit) == (245.6, "万元")


def test_html_table4_header_with_line_breaks(html_2021):
    _assert_table4(html_2021)


def test_html_column_heading_is_not_the_title():
    # many sites put the column's name in an h2 above the article's own h1
    report = parse_bytes(_html_page(column_heading="<h2>政府信息公开年报</h2>"), "jyj.html")
    assert report.title == "临江市教育局2021年政府信息公开工作年度报告"
    assert (report.body, report.year) == ("临江市教育局", 2021)


def test_html_full_width_digits_in_cells():
    page = re.sub(r'14px">([\d.]+)<', lambda m: f'14px">{_full_width(m[1])}<', _html_page().decode("utf-8"))
    assert '14px">１２<' in page and '14px">２４５．６<' in page
    report = parse_bytes(page.encode("utf-8"), "jyj.html")
    _assert_table4(report)
    assert row_values(report, "三", "new_received") == [40, 5, 1, None, 2, None, 48]
    assert row_values(report, "二", "normative_documents", ("issued", "repealed", "in_force")) == [12, 2, 45]
    assert cells_by_key(report)[("二", "fees", "fee_amount")].value == 245.6


# --- text reports (Word or web text saved as .txt, PDF text layers) ---------------------------------------------
TABLE2_TAB = (
    "第二十条第（一）项", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "规章\t1\t0\t3", "行政规范性文件\t12\t2\t45",
    "第二十条第（五）项", "信息内容\t本年处理决定数量", "行政许可\t356",
    "第二十条第（六）项", "信息内容\t本年处理决定数量", "行政处罚\t78", "行政强制\t5",
    "第二十条第（八）项", "信息内容\t本年收费金额（单位：万元）", "行政事业性收费\t245.6",
)
TABLE4_TAB = (
    "行政复议\t\t\t\t\t行政诉讼",
    "\t\t\t\t\t未经复议直接起诉\t\t\t\t\t复议后起诉",
    "\t".join(("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 3),
    "\t".join(str(v) for group in T4_VALUES for v in group),
)
HEADINGS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况")
PERIOD = "本报告根据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限自2021年1月1日起至2021年12月31日止。"


def _table3_tab(rows=T3_2021, blank_total: bool = False) -> list[str]:
    """Table 三 as Word's copy-as-text writes it: one row per line, a tab between cells, two label columns
    (rows 一、二、四 and the （一）（二）（七） rows leave the second one empty), an empty cell kept as an empty
    string between tabs, so a blank 总计 leaves a trailing tab."""
    lines = ["\t\t申请人情况", "\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
             "\t\t\t" + "\t".join(T3_HEADERS[1:6]) + "\t"]
    for group, label, key, values in rows:
        cells = [str(v) for v in values]
        if blank_total:
            cells[-1] = ""
        labels = [group, label] if group else [label, ""]
        lines.append("\t".join(labels + cells))
    return lines


def _table3_lines(rows=T3_2021) -> list[str]:
    """Table 三 as a PDF text layer gives it: one line per row, the label then the numbers, spaces between."""
    return [f"{group if label.startswith('1.') else ''}{label} " + " ".join(str(v) for v in values)
            for group, label, key, values in rows]


def _text_report(*, title=("临江市市场监督管理局2021年政府信息公开工作年度报告",), period: str = PERIOD,
                 headings=HEADINGS, table2=TABLE2_TAB, table3=None, table4=TABLE4_TAB,
                 signature=("临江市市场监督管理局", "2022年1月25日")) -> bytes:
    lines = [*title, period, headings[0], OVERVIEW[1], headings[1], *table2, headings[2],
             *(table3 if table3 is not None else _table3_tab()), headings[3], *table4, *CLOSING, *signature]
    return "\n".join(lines).encode("utf-8")


def test_text_tab_rows_blank_total_column_is_not_stated():
    report = parse_bytes(_text_report(table3=_table3_tab(blank_total=True)), "linjiang.txt")
    assert row_values(report, "三", "new_received") == [40, 5, 1, 0, 2, 0, None]
    assert row_values(report, "三", "total") == [41, 4, 1, 0, 2, 0, None]
    assert cells_by_key(report)[("三", "total", "total")].status == "blank"
    assert report.findings == ()


def test_text_tab_rows_as_written():
    # the same layout with 总计 stated: the shape the blank-total case must keep
    report = parse_bytes(_text_report(), "linjiang.txt")
    assert (report.body, report.year, report.format) == ("临江市市场监督管理局", 2021, "2021")
    _assert_table3_2021(report)
    _assert_table4(report)


# --- digits and money -------------------------------------------------------------------------------------------
def test_full_width_digits_in_table_cells():
    table3 = _table3_tab()
    table3 = table3[:3] + [line.split("\t", 2)[0] + "\t" + line.split("\t", 2)[1] + "\t"
                           + _full_width(line.split("\t", 2)[2]) for line in table3[3:]]
    table2 = tuple(_full_width(line) if "\t" in line and "信息内容" not in line else line for line in TABLE2_TAB)
    assert "一、本年新收政府信息公开申请数量\t\t４０\t５\t１\t０\t２\t０\t４８" in table3
    report = parse_bytes(_text_report(table2=table2, table3=table3), "linjiang.txt")
    _assert_table3_2021(report)
    assert cells_by_key(report)[("二", "licensing", "decisions")].value == 356
    assert cells_by_key(report)[("二", "fees", "fee_amount")].value == 245.6


def test_full_width_year_in_the_title_is_not_part_of_the_body():
    report = parse_bytes(_text_report(title=("临江市市场监督管理局２０２１年政府信息公开工作年度报告",)), "linjiang.txt")
    assert (report.body, report.year) == ("临江市市场监督管理局", 2021)


def test_full_width_digits_throughout_still_give_the_year():
    report = parse_bytes(_full_width(_text_report().decode("utf-8")).encode("utf-8"), "linjiang.txt")
    assert (report.body, report.year, report.format) == ("临江市市场监督管理局", 2021, "2021")
    _assert_table3_2021(report)


def _times(rows, factor: int):
    return tuple((group, label, key, tuple(v * factor for v in values)) for group, label, key, values in rows)


def _thousands(line: str) -> str:
    return " ".join(f"{int(t):,}" if t.isdigit() else t for t in line.split(" "))


def test_thousands_separators_in_tab_cells_and_text_lines():
    big = _times(T3_2021, 31)  # 一、本年新收: 1240 155 31 0 62 0 1488
    table3 = [line.replace("1240", "1,240").replace("1488", "1,488").replace("1271", "1,271")
              for line in _table3_tab(big)]
    table2 = tuple(line.replace("行政许可\t356", "行政许可\t1,356").replace("行政处罚\t78", "行政处罚\t12,078")
                   for line in TABLE2_TAB)
    report = parse_bytes(_text_report(table2=table2, table3=table3), "linjiang.txt")
    assert row_values(report, "三", "new_received") == [1240, 155, 31, 0, 62, 0, 1488]
    assert row_values(report, "三", "total") == [1271, 124, 31, 0, 62, 0, 1488]
    assert cells_by_key(report)[("二", "licensing", "decisions")].value == 1356
    assert cells_by_key(report)[("二", "punishment", "decisions")].value == 12078
    # the same as PDF text lines, numbers separated by spaces
    report = parse_bytes(_text_report(table3=[_thousands(line) for line in _table3_lines(big)]), "linjiang.txt")
    assert row_values(report, "三", "new_received") == [1240, 155, 31, 0, 62, 0, 1488]
    assert report.warnings == ()


def test_full_width_comma_thousands_separator_in_a_text_line():
    table2 = tuple(line.replace("\t", " ").replace("行政许可 356", "行政许可 1，356") for line in TABLE2_TAB)
    report = parse_bytes(_text_report(table2=table2), "linjiang.txt")
    assert cells_by_key(report)[("二", "licensing", "decisions")].value == 1356


@pytest.mark.parametrize("header, cell, value, unit", [
    ("本年收费金额（单位：万元）", "245.6万元", 245.6, "万元"),
    ("本年收费金额（单位：万元）", "380元", 380, "元"),  # the cell's own unit wins over the header's
    ("本年收费金额", "3.8万元", 3.8, "万元"),
    ("本年收费金额（元）", "5200", 5200, "元"),
    ("本年收费金额（单位：万元）", "0.0000", 0, "万元"),
])
def test_fee_amount_with_its_unit(header: str, cell: str, value: float, unit: str):
    table2 = tuple(line.replace("本年收费金额（单位：万元）", header).replace("\t245.6", "\t" + cell)
                   for line in TABLE2_TAB)
    fee = cells_by_key(parse_bytes(_text_report(table2=table2), "linjiang.txt"))[("二", "fees", "fee_amount")]
    assert (fee.value, fee.unit, fee.status) == (value, unit, "ok")


# --- titles, bodies and years stated in odd places ----------------------------------------------------------------
def test_chinese_numeral_year_two_line_title_body_only_in_the_signature():
    report = parse_bytes(_text_report(
        title=("二〇二一年度", "政府信息公开工作年度报告"),
        period="本报告所列数据的统计期限为二〇二一年一月一日至二〇二一年十二月三十一日。",
        signature=("重庆市渝北区人民政府东湖街道办事处", "二〇二二年一月二十日")), "donghu.txt")
    assert report.title == "二〇二一年度政府信息公开工作年度报告"
    assert (report.body, report.body_full) == ("东湖街道", "重庆市渝北区人民政府东湖街道办事处")
    assert (report.year, report.format) == (2021, "2021")
    _assert_table3_2021(report)


@pytest.mark.parametrize("opening", [
    "根据《中华人民共和国政府信息公开条例》要求，现向社会公布临江市市场监督管理局2021年度政府信息公开工作年度报告。",
    "局办公室编制了临江市市场监督管理局2021年度政府信息公开工作年度报告。",  # the words before the name are not it
    "局办公室编制并公布临江市市场监督管理局2021年度政府信息公开工作年度报告。",
])
def test_body_named_only_in_the_first_paragraph(opening):
    report = parse_bytes(_text_report(
        title=("2021年政府信息公开工作年度报告",),
        period=opening + "本报告所列数据的统计期限为2021年1月1日至2021年12月31日。",
        signature=()), "linjiang.txt")
    assert (report.body, report.year) == ("临江市市场监督管理局", 2021)


def test_breadcrumb_before_the_title_in_text_saved_from_a_web_page():
    report = parse_bytes(_text_report(
        title=("当前位置：首页 > 政府信息公开 > 年度报告", "临江市教育局2021年政府信息公开工作年度报告",
               "发布时间：2022-01-20  来源：临江市教育局"),
        signature=("临江市教育局", "2022年1月20日")), "jyj.txt")
    assert report.title == "临江市教育局2021年政府信息公开工作年度报告"
    assert (report.body, report.year) == ("临江市教育局", 2021)


# --- headings -------------------------------------------------------------------------------------------------------
UNNUMBERED = ("一、 总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况", "政府信息公开行政复议、行政诉讼情况")
TABLE3_HEADER_LINES = ("申请人情况", "自然人 法人或其他组织 总计", "商业企业 科研机构 社会公益组织 法律服务机构 其他")


def _pdf_text_report(headings=UNNUMBERED) -> bytes:
    """A PDF text layer: sub-parts （一）（二）（三） inside section 一, every table row one line of text."""
    overview = ("（一）主动公开", "全年通过门户网站主动公开政府信息1,286条，其中政策文件32件。",
                "（二）依申请公开", "全年新收政府信息公开申请48件，上年结转4件，均在法定期限内答复。",
                "（三）政府信息管理", "及时更新政府信息公开指南，规范公开属性审查。")
    lines = ["临江市教育局2021年政府信息公开工作年度报告", PERIOD, headings[0], *overview,
             headings[1], *(line.replace("\t", " ") for line in TABLE2_TAB),
             headings[2], *TABLE3_HEADER_LINES, *_table3_lines(),
             headings[3], *(" ".join(line.split()) for line in TABLE4_TAB),
             *(heading.split("、", 1)[-1] if i % 2 == 0 else heading for i, heading in enumerate(CLOSING)),
             "临江市教育局", "2022年1月20日"]
    return "\n".join(lines).encode("utf-8")


def test_unnumbered_headings_and_sub_parts_of_section_one():
    report = parse_bytes(_pdf_text_report(), "jyj.txt")
    assert (report.body, report.year, report.format) == ("临江市教育局", 2021, "2021")
    assert [s.key for s in report.sections if s.key] == ["overview", "proactive", "requests", "review", "problems",
                                                         "other"]
    paths = [p.section for p in report.passages if p.kind == "text" and p.section_key == "overview"]
    assert paths == ["一、 总体情况 / （一）主动公开", "一、 总体情况 / （二）依申请公开", "一、 总体情况 / （三）政府信息管理"]
    _assert_table3_2021(report)
    assert cells_by_key(report)[("二", "fees", "fee_amount")].value == 245.6


def test_older_heading_wording_for_section_three():
    report = parse_bytes(_pdf_text_report(headings=("一、总体情况", "二、主动公开政府信息情况",
                                                    "三、依申请公开政府信息情况", HEADINGS[3])), "jyj.txt")
    _assert_table3_2021(report)


def test_table_rows_as_text_lines_are_not_narrative_passages():
    report = parse_bytes(_pdf_text_report(), "jyj.txt")
    narrative = [p for p in report.passages if p.kind == "text"]
    assert not any("41 4 1 0 2 0 48" in p.text or "41 4 1 0 2 0 48" in p.section for p in narrative)


def test_pdf_table4_numbers_line_without_a_label(cid_font):
    lines = _pdf_text_report().decode("utf-8").split("\n")
    report = parse_bytes(pdf_of_lines(lines, cid_font, size=7, leading=12, left=20), "jyj.pdf")
    assert (report.body, report.year) == ("临江市教育局", 2021)  # the rest of the file is read
    assert row_values(report, "三", "new_received") == [40, 5, 1, 0, 2, 0, 48]
    _assert_table4(report)


def test_a_numbered_label_with_a_comma_is_a_row_not_prose():
    """A table row as a text line whose label has a full-width comma where the template has 、 (a sentence's mark,
    but the row opens with the template's numbering 1.)."""
    text = _pdf_text_report().decode("utf-8")
    changed = text.replace("逾期不补正、行政机关", "逾期不补正，行政机关")
    assert changed != text
    cells = {(c.row_key, c.col_key): (c.value, c.status) for c in parse_bytes(changed.encode("utf-8"), "j.txt").cells
             if c.table == "三"}
    assert cells == {(c.row_key, c.col_key): (c.value, c.status) for c in parse_bytes(text.encode("utf-8"), "j.txt").cells
                     if c.table == "三"}
    assert cells[("other.overdue_correction", "total")][1] == "ok"


def test_a_numbered_sentence_wrapped_after_a_number_is_not_a_row():
    """"1.办理结果方面，予以公开的申请 30" / "件，占比较高。": a numbered sentence that a PDF broke after a number."""
    text = _pdf_text_report().decode("utf-8")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if "收到和处理政府信息公开申请情况" in line) + 1
    lines[at:at] = ["1.办理结果方面，予以公开的申请 30", "件，占比较高。"]
    wrapped = parse_bytes("\n".join(lines).encode("utf-8"), "j.txt")
    plain = parse_bytes(text.encode("utf-8"), "j.txt")
    assert [(c.row_key, c.col_key, c.value, c.status) for c in wrapped.cells if c.table == "三"] == \
        [(c.row_key, c.col_key, c.value, c.status) for c in plain.cells if c.table == "三"]
