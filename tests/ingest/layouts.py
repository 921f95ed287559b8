"""Building blocks for the layout and reader tests: the template's table-三 and table-四 column keys and headings,
cell lookups on a parsed report, Word tables built with python-docx, and PDFs of text lines built with reportlab."""
from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

T3_HEADERS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
T3_COLS = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other_org", "total")
T4_COLS = ("upheld", "corrected", "other", "pending", "total")
T3_FLOW = ("new_received", "carried_over", "carried_forward")  # rows labelled across all three label columns
CHECK_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def cells_by_key(report) -> dict[tuple[str, str, str], object]:
    return {(c.table, c.row_key, c.col_key): c for c in report.cells}


def row_values(report, table: str, row_key: str, cols=T3_COLS) -> list[float | None]:
    cells = cells_by_key(report)
    return [cells[(table, row_key, col)].value for col in cols]


def word_grid(out, rows: int, cols: int):
    """A new Word table and its cells by (row, column), looked up once: python-docx's ``table.cell`` rebuilds the
    whole grid on every call, which makes a 28-row table take seconds."""
    cells = out.add_table(rows=rows, cols=cols)._cells
    return lambda r, c: cells[r * cols + c]


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def word_table3(out, rows, blank_total: bool = False) -> None:
    """Table 三 with its three header rows: the 勾稽 note over three label columns and three rows, 申请人情况 over
    the seven value columns, 自然人 and 总计 merged down two rows, 法人或其他组织 over its five columns; group labels
    merged down their rows. ``rows``: (group label, label, row key, seven values); ``blank_total`` leaves 总计 empty."""
    cell = word_grid(out, 3 + len(rows), 10)
    cell(0, 0).merge(cell(2, 2)).text = CHECK_NOTE
    cell(0, 3).merge(cell(0, 9)).text = "申请人情况"
    cell(1, 3).merge(cell(2, 3)).text = "自然人"
    cell(1, 4).merge(cell(1, 8)).text = "法人或其他组织"
    cell(1, 9).merge(cell(2, 9)).text = "总计"
    for j, header in enumerate(T3_HEADERS[1:6], start=4):
        cell(2, j).text = header
    groups: dict[str, list[int]] = {}
    outcome_rows: list[int] = []
    for i, (group, label, key, values) in enumerate(rows, start=3):
        for j, value in enumerate(values, start=3):
            cell(i, j).text = "" if blank_total and j == 9 else str(value)
        if key in T3_FLOW:
            cell(i, 0).merge(cell(i, 2)).text = label
            continue
        outcome_rows.append(i)
        if group:
            groups.setdefault(group, []).append(i)
            cell(i, 2).text = label
        else:
            cell(i, 1).merge(cell(i, 2)).text = label
    cell(outcome_rows[0], 0).merge(cell(outcome_rows[-1], 0)).text = "三、本年度办理结果"
    for group, members in groups.items():
        cell(members[0], 1).merge(cell(members[-1], 1)).text = group


def pdf_of_lines(lines, font: str, size: float = 10, leading: float = 20, left: float = 40) -> bytes:
    """A PDF whose text layer is the given lines, one per line (tables drawn as text only, without ruling lines),
    continued on a new page when a page is full. ``font``: a registered font (the ``cid_font`` fixture)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    y = 800
    for line in lines:
        if y < 40:
            pdf.showPage()
            y = 800
        pdf.setFont(font, size)
        pdf.drawString(left, y, line)
        y -= leading
    pdf.save()
    return buffer.getvalue()

