"""The report parser: one :class:`Document` (from any reader) into one :class:`Report`. Pure: no I/O."""
from __future__ import annotations

import functools
import re
from dataclasses import replace

from .align import read_stream_tables, table_spans
from .checks import check_report, fmt_number, row_display
from .errors import NotAReportError, UnidentifiedReport
from .meta import find_body, find_format, find_title, find_year
from .model import NO_SUCH_ROW, Cell, Document, Paragraph, Passage, Report, Table
from .readers import read_document
from .reflow import reflow
from .sections import SECTION_NAMES, narrative_passages, split_sections
from .stream import stream_of
from .streamcells import COMPLETE, INCOMPLETE, MISSING, collapses_repeats, stream_cells
from .tables import extract_cells, line_rows

__all__ = ["parse_report", "parse_bytes", "row_passages"]


def parse_bytes(data: bytes, source: str) -> Report:
    """Read and parse one file's bytes; ``source`` is its file name (for the reader choice and messages)."""
    return parse_report(read_document(data, source))


@functools.lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


# characters of the template's own words that Traditional writing always changes (公開, 資訊, 報告, 機關, 處理 …)
_TRADITIONAL = re.compile("[開報關於與為發來時過對區處員條書務資產權號網點們這國會級應數據辦變統計項轉請審議實際規範縣鎮鄉總結問題]")


def _simplified(document: Document) -> tuple[Document, dict[str, str]]:
    """A report written in Traditional characters, converted to Simplified for parsing, matching and search, and
    each converted paragraph's original (for quoting it as written); the document itself when it is Simplified."""
    sample = "".join(b.text for b in document.blocks[:60] if isinstance(b, Paragraph))[:4000]
    if len(_TRADITIONAL.findall(sample)) < 5:  # a quick look first: OpenCC is slow on every report
        return document, {}
    hans = len(re.findall(r"[\u4e00-\u9fff]", sample))
    converted = _t2s().convert(sample)
    if not hans or sum(a != b for a, b in zip(sample, converted)) < max(5, hans * 0.02):
        return document, {}
    originals: dict[str, str] = {}
    blocks = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            text = _t2s().convert(block.text)
            if len(text) == len(block.text):
                originals[text] = block.text
            blocks.append(Paragraph(text))
        else:
            blocks.append(Table(tuple(tuple(_t2s().convert(cell) for cell in row) for row in block.rows)))
    title = _t2s().convert(document.title_hint) if document.title_hint else None
    if title and document.title_hint and len(title) == len(document.title_hint):
        originals[title] = document.title_hint
    publisher = _t2s().convert(document.publisher) if document.publisher else None
    return Document(tuple(blocks), document.source, title, publisher), originals


def _as_written(text: str, originals: dict[str, str]) -> str:
    """A passage of the converted text in the report's own characters, line by line (a line may run over
    several paragraphs joined); the converted text where a line cannot be found."""
    converted = "".join(originals)
    written = "".join(originals.values())
    lines = []
    for line in text.split("\n"):
        at = converted.find(line) if line else -1
        if at < 0:
            return text
        lines.append(written[at:at + len(line)])
    return "\n".join(lines)


def parse_report(document: Document) -> Report:
    """Metadata, sections, cells of tables 二/三/四, passages and consistency findings of one report.

    Raises :class:`NotAReportError` when the content is not an annual report. A report whose tables are cut off or
    missing (images) is still a report: its text and the tables it has are kept, and ``Report.tables`` says which
    are incomplete or missing.
    """
    document, originals = _simplified(document)
    source = document.source
    blocks = tuple(b for b in document.blocks if not (isinstance(b, Paragraph) and _PAGE_MARK.fullmatch(b.text)))
    text = "\n".join(b.text if isinstance(b, Paragraph) else "\n".join("\t".join(r) for r in b.rows) for b in blocks)
    if "政府信息公开" not in text and "政务公开" not in text:
        raise NotAReportError(f"{source}：不是政府信息公开工作年度报告（全文没有“政府信息公开”字样）。")
    title = find_title(blocks, document.title_hint)
    year = find_year(blocks, title)
    body = find_body(blocks, title)
    fmt = find_format(text, year)
    zones, _, _ = split_sections(blocks)
    stream = stream_of(blocks)
    found = read_stream_tables(stream, fmt)
    cells, warnings, tables = read_tables(blocks, zones, fmt, found, collapses_repeats(blocks))
    cells = _header_units(cells, text)
    _, sections, paragraphs = split_sections(reflow(blocks, table_spans(stream, found)))
    if body is None or year is None:
        missing = "、".join(x for x, v in (("机关名称", body), ("年度", year)) if v is None)
        message = f"{source}：找不到报告的{missing}（标题、统计期限或落款里都没有）"
        if not cells:
            raise NotAReportError(message + "；请确认这是一份年度报告。")
        short, full, year = "", "", 0  # an excerpt: the store may know whose (UnidentifiedReport)
    elif not cells and not _reads_as_report(title, sections):
        raise NotAReportError(f"{source}：不像是政府信息公开工作年度报告（没有年度报告标题、各部分标题，也没有统计表）。")
    else:
        short, full = body
    passages = narrative_passages(sections, paragraphs)
    if originals:  # quoted as written: the passages in the report's own (Traditional) characters
        passages = [replace(p, text=_as_written(p.text, originals), search_text=p.text) for p in passages]
        title = _as_written(title, originals) if title else title
    passages += row_passages(cells, start=len(passages))
    warnings += [f"表{c.table} {row_display(c.row_key, c.row_label)}：{c.warning}"
                 for c in cells if c.status == "unknown" and c.warning]
    warnings += [f"表{number}{_STATE_NOTE[state]}" for number, state in tables if state != COMPLETE]
    report = Report(
        body=short, body_full=full, year=year, title=title, format=fmt, source=source,
        sections=tuple(s for s in sections if s.heading or s.text), cells=tuple(cells), passages=tuple(passages),
        findings=tuple(check_report(short, year, cells)), warnings=tuple(dict.fromkeys(warnings)), tables=tables,
    )
    if not short:
        raise UnidentifiedReport(f"{message}，只有统计表的片段，与库中任何报告的数字都对不上；请提供完整的报告，"
                                 "或在文件开头写明报告标题。", report)
    return report


# a money column's header with its unit, however the layout broke it: 采购总金额（单位：元）, 采购总金额\n(\n单位：元\n)
_MONEY_HEADERS = (("procurement", "amount", "采购总金额"), ("fees", "fee_amount", "收费金额"))


def _header_units(cells: list[Cell], text: str) -> list[Cell]:
    """Table 二's money cells read without a unit take the unit their column's header states, wherever the
    layout put it (a header cut over several lines, a unit line of its own)."""
    units = {}
    for row_key, column, header in _MONEY_HEADERS:
        if match := re.search(header + r"[\s（(]*(?:单位\s*[:：]?\s*)?(万元|亿元|元)", text):
            units[(row_key, column)] = match[1]
    return [replace(c, unit=units[(c.row_key, c.col_key)]) if c.table == "二" and c.unit is None and
            c.value is not None and (c.row_key, c.col_key) in units else c for c in cells]


# a page number on a line of its own (— 3 —, - 3 -, 第3页, 第 3 页 共 9 页): a page's footer, not the report's words
_PAGE_MARK = re.compile(r"\s*(?:[—－\-–]+\s*\d{1,4}\s*[—－\-–]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
                        r"|\d{1,4}\s*/\s*\d{1,4})\s*")


_STATE_NOTE = {INCOMPLETE: "不完整：报告文本在表中截断，缺少的行不在本报告中", MISSING: "：报告文本里没有这张表（可能被截去，或是图片）"}


def _reads_as_report(title: str | None, sections) -> bool:
    """Without a table, a report still names itself in its title or uses the template's section headings."""
    if title and re.search(r"年度报告|年报|工作报告", title):
        return True
    return sum(1 for s in sections if s.key) >= 2


def read_tables(blocks, zones, fmt: str, found: dict, collapsed: bool,
                ) -> tuple[list[Cell], list[str], tuple[tuple[str, str], ...]]:
    """Tables 二, 三 and 四 read two ways, the line layout (``ingest.tables``) and the character stream
    (``ingest.align``), kept per table by which reads it better: more cells known, fewer unknown, fewer of the
    template's rules broken. The stream also tells whether a table is cut off."""
    line_cells, warnings = extract_cells(line_rows(blocks, zones), fmt)
    stream_by_table, states = stream_cells(found, fmt, collapsed)
    cells: list[Cell] = []
    for number in ("二", "三", "四"):
        old = [c for c in line_cells if c.table == number]
        new = stream_by_table.get(number, [])
        if new and _quality(new) > _quality(old):
            cells.extend(new)
            warnings = [w for w in warnings if not w.startswith(f"表{number}")]
        else:
            cells.extend(old)
            if old and (states[number] == MISSING or all(c.warning != NO_SUCH_ROW for c in old)):
                states[number] = COMPLETE  # the line layout read every row: the stream's cut is its own
    return cells, warnings, tuple(states.items())


def _quality(cells: list[Cell]) -> tuple[int, int, int]:
    """Cells known less the rules they break, then the rows seen at all (a row read as unknown is still a row the
    report has), then the fewest unknown cells."""
    known = sum(1 for c in cells if c.value is not None)
    unknown = sum(1 for c in cells if c.status == "unknown")
    broken = len(check_report("", 0, cells))
    seen = len({c.row_key for c in cells if c.warning != NO_SUCH_ROW})
    return known - 4 * broken, seen, -unknown


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

