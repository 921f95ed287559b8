"""The report parser: one :class:`Document` (from any reader) into one :class:`Report`. Pure: no I/O."""
from __future__ import annotations

from .checks import check_report, fmt_number, row_display
from .errors import NotAReportError
from .meta import find_body, find_format, find_title, find_year
from .model import Cell, Document, Paragraph, Passage, Report
from .readers import read_document
from .sections import SECTION_NAMES, narrative_passages, split_sections
from .tables import extract_cells, line_rows

__all__ = ["parse_report", "parse_bytes", "row_passages"]


def parse_bytes(data: bytes, source: str) -> Report:
    """Read and parse one file's bytes; ``source`` is its file name (for the reader choice and messages)."""
    return parse_report(read_document(data, source))


def parse_report(document: Document) -> Report:
    """Metadata, sections, cells of tables 二/三/四, passages and consistency findings of one report.

    Raises :class:`NotAReportError` when the content is not an annual report, or is cut off before table 三.
    """
    source = document.source
    blocks = document.blocks
    text = "\n".join(b.text if isinstance(b, Paragraph) else "\n".join("\t".join(r) for r in b.rows) for b in blocks)
    if "政府信息公开" not in text and "政务公开" not in text:
        raise NotAReportError(f"{source}：不是政府信息公开工作年度报告（全文没有“政府信息公开”字样）。")
    title = find_title(blocks, document.title_hint)
    year = find_year(blocks, title)
    body = find_body(blocks, title)
    if body is None or year is None:
        missing = "、".join(x for x, v in (("机关名称", body), ("年度", year)) if v is None)
        raise NotAReportError(f"{source}：找不到报告的{missing}（标题、统计期限或落款里都没有）；请确认这是一份年度报告。")
    fmt = find_format(text, year)
    zones, sections, paragraphs = split_sections(blocks)
    rows = line_rows(blocks, zones)
    cells, warnings = extract_cells(rows, fmt)
    if not any(c.table == "三" and c.value is not None for c in cells):
        found = "、".join(f"表{t}" for t in ("二", "四") if any(c.table == t for c in cells))
        found = f"只找到{found}" if found else "一张统计表也没有找到"
        raise NotAReportError(
            f"{source}：没有找到表三（收到和处理政府信息公开申请情况）的数据，{found}；"
            "文件可能不完整（被截断），或表格是图片。请提供完整的文字版报告。")
    short, full = body
    passages = narrative_passages(sections, paragraphs)
    passages += row_passages(cells, start=len(passages))
    warnings += [f"表{c.table} {row_display(c.row_key, c.row_label)}：{c.warning}"
                 for c in cells if c.status == "unknown" and c.warning]
    return Report(
        body=short, body_full=full, year=year, title=title, format=fmt, source=source,
        sections=tuple(s for s in sections if s.heading or s.text), cells=tuple(cells), passages=tuple(passages),
        findings=tuple(check_report(short, year, cells)), warnings=tuple(dict.fromkeys(warnings)),
    )


_TABLE_SECTION = {"二": "proactive", "三": "requests", "四": "review"}


def row_passages(cells: list[Cell] | tuple[Cell, ...], start: int = 0) -> list[Passage]:
    """Each stored table row as one line of text, labels next to numbers, e.g.
    ``表三 一、本年新收政府信息公开申请数量：自然人 18，商业企业 0，…，总计 18``."""
    rows: dict[tuple[str, str], list[Cell]] = {}
    for cell in cells:
        rows.setdefault((cell.table, cell.row_key), []).append(cell)
    passages = []
    for (table, row_key), row in rows.items():
        if all(c.value is None and c.status == "blank" and c.warning for c in row):
            continue  # a template row the report does not have
        label = row_display(row_key, row[0].row_label)
        values = "，".join(f"{c.col_label} {_shown(c)}" for c in row)
        key = _TABLE_SECTION[table]
        passages.append(Passage("row", key, f"{SECTION_NAMES[key]} / 表{table} {label}", start + len(passages), -1,
                                -1, f"表{table} {label}：{values}"))
    return passages


def _shown(cell: Cell) -> str:
    if cell.status == "unknown":
        return "未知"
    return fmt_number(cell.value) + (cell.unit or "") if cell.value is not None else "未填"

