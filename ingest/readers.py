"""Readers: bytes of a .txt/.md/.html/.htm/.docx/.pdf file into one :class:`Document`.

Pure functions over bytes. Each raises :class:`ReadError` with a one-line Chinese message for a file it cannot
read; the report parser never sees file formats.
"""
from __future__ import annotations

import bisect
import io
import re
import zipfile
from pathlib import PurePath

from .errors import ReadError
from .model import Document, Paragraph, Table
from .textread import clean_text, decode_text, text_to_document
from .values import is_value_cell

__all__ = ["read_document", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
MAX_BYTES = 30 * 1024 * 1024
# Beyond what any annual report needs, far below what a hostile file asks (issue 11's probes): a report page holds
# a few thousand tags, a Word table twenty columns, a PDF a few dozen pages.
MAX_TAGS = 500_000  # "<" in an HTML page
MAX_SPAN = 100  # grid columns one Word table cell spans
MAX_PAGES = 500


def read_document(data: bytes, source: str) -> Document:
    """Read a report file's bytes; the suffix of ``source`` picks the reader."""
    suffix = PurePath(source).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(f"{source}：不支持的文件类型 {suffix or '（无扩展名）'}；支持 {' '.join(SUPPORTED_SUFFIXES)}。")
    if len(data) > MAX_BYTES:
        raise ReadError(f"{source}：文件有 {len(data) / 1024 / 1024:.0f} MB，超过 {MAX_BYTES // 1024 // 1024} MB 上限；"
                        "年度报告通常不足 5 MB，请检查是否传错了文件。")
    if not data.strip():
        raise ReadError(f"{source}：文件是空的，没有可读的内容。")
    if suffix in (".txt", ".md"):
        return text_to_document(decode_text(data, source), source)
    if suffix in (".html", ".htm"):
        return read_html(data, source)
    if suffix == ".docx":
        return read_docx(data, source)
    return read_pdf(data, source)


# --- HTML -----------------------------------------------------------------------------------------------------
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "center", "blockquote",
               "ucapcontent", "tr", "ul", "ol", "pre", "header", "footer", "main", "dd", "dt"}
_SKIP_TAGS = {"script", "style", "noscript", "iframe", "svg", "select", "button", "input", "form", "nav", "head"}


def read_html(data: bytes, source: str) -> Document:
    """HTML page into a Document: the report's own content element, tables with rowspan/colspan expanded.

    The charset comes from the page (BOM or ``<meta charset>``), falling back to UTF-8 and GB18030.
    """
    from bs4 import BeautifulSoup  # imported here: only HTML needs it

    if (tags := data.count(b"<")) > MAX_TAGS:
        raise ReadError(f"{source}：网页有约 {tags:,} 个标签，远超一份年度报告（上限 {MAX_TAGS:,}），结构异常，跳过。")
    try:
        soup = BeautifulSoup(data, "lxml")
    except Exception as e:  # lxml raises many types on garbage
        raise ReadError(f"{source}：无法解析 HTML：{e}") from e
    if soup.original_encoding is None and "\ufffd" in soup.get_text()[:2000]:
        soup = BeautifulSoup(decode_text(data, source), "lxml")
    title = _html_title(soup)
    for tag in soup.find_all(_SKIP_TAGS):
        tag.decompose()
    root = _content_root(soup)
    if root is None:
        raise ReadError(f"{source}：网页里没有正文内容。")
    blocks: list[Paragraph | Table] = []
    buffer: list[str] = []

    def flush() -> None:
        text = clean_text("".join(buffer))
        buffer.clear()
        for line in text.split("\n"):
            if line.strip():
                blocks.append(Paragraph(re.sub(r"[ \t\u3000]+", " ", line).strip()))

    def walk(root) -> None:
        """Depth first over the element's children, a block's text flushed on entering and on leaving it; a stack,
        not recursion, so that a page nested a million deep is read like any other."""
        stack = [iter(root.children)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                if stack and stack[-1] is _FLUSH:
                    stack.pop()
                    flush()
                continue
            name = getattr(child, "name", None)
            if name is None:
                if type(child).__name__ in ("NavigableString",):
                    buffer.append(str(child).replace("\n", " "))
                continue
            if name == "table" and child.find("table") is None:
                flush()
                table = _html_table(child)
                if table.rows:
                    blocks.append(table)
            elif name == "br":
                buffer.append("\n")
            elif name in _BLOCK_TAGS or name == "table":
                flush()
                stack += [_FLUSH, iter(child.children)]
            else:
                stack.append(iter(child.children))

    walk(root)
    flush()
    return Document(tuple(blocks), source, title)


_FLUSH = iter(())  # on the walk's stack below a block's children: flush the buffer when they are done


def _html_title(soup) -> str | None:
    """The first h1 naming a report (else h2), one that states a year first: a side column's 政府信息公开年报
    heading is not the article's title."""
    for level in ("h1", "h2"):
        named = [text for h in soup.find_all(level) if "报告" in (text := h.get_text("", strip=True)) or "年报" in text]
        dated = [text for text in named if re.search(r"\d{4}|[〇○零一二三四五六七八九]{4}", text)]
        if named:
            return (dated or named)[0]
    if soup.title and soup.title.string:
        return soup.title.string.strip()
    return None


def _content_root(soup):
    """The smallest element that holds the report: its first section and a later table or section, as separate
    pieces of text (an introduction that lists the sections in one sentence is not the report).

    One pass in document order gives each element the span of its text in the page's text (each string stripped,
    as ``get_text("", strip=True)``); an element holds a marker when one of the marker's places falls in its span.
    Linear in the page: asking each element for its own text was quadratic (a page nested a million deep)."""
    from bs4 import CData, NavigableString, Tag

    starts: list[int] = []  # where each piece of text begins
    pieces: list[str] = []
    spans: list[tuple[int, int, int, Tag]] = []  # start, end, place in document order, element
    offset = 0
    stack: list[tuple[Tag, int, int, object]] = [(soup, 0, 0, iter(soup.children))]
    while stack:
        element, start, order, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            spans.append((start, offset, order, element))
        elif isinstance(child, Tag):
            stack.append((child, offset, len(spans) + len(stack), iter(child.children)))
        elif type(child) in (NavigableString, CData) and (text := child.strip()):
            starts.append(offset)
            pieces.append(text)
            offset += len(text)
    text = "".join(pieces)

    def places(marker: str) -> tuple[list[int], int]:
        found, at = [], text.find(marker)
        while at >= 0:
            found.append(at)
            at = text.find(marker, at + 1)
        return found, len(marker)

    def within(marker: tuple[list[int], int], start: int, end: int) -> tuple[int, int] | None:
        """The first and the last place of the marker inside [start, end)."""
        found, length = marker
        i, j = bisect.bisect_left(found, start), bisect.bisect_right(found, end - length) - 1
        return (found[i], found[j]) if i <= j else None

    piece = lambda at: bisect.bisect_right(starts, at)  # noqa: E731
    first = places("总体情况")
    later = [places(m) for m in ("本年新收", "其他需要报告", "行政复议")]
    best = None
    for start, end, order, element in spans:
        if element is soup or not (head := within(first, start, end)):
            continue
        if not (rest := [found for marker in later if (found := within(marker, start, end))]):
            continue
        places_in = [head, *rest]
        if piece(min(a for a, _ in places_in)) == piece(max(b for _, b in places_in)):
            continue  # one sentence names them all
        key = (end - start, -order)  # the smallest; of equal ones the last in document order (the deepest)
        if best is None or key <= best[0]:
            best = (key, element)
    return best[1] if best else soup.body or soup


def _html_table(table) -> Table:
    grid: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(table.find_all("tr")):
        c = 0
        for td in tr.find_all(["td", "th"]):
            while (r, c) in grid:
                c += 1
            text = re.sub(r"\s+", " ", clean_text(td.get_text(" "))).strip()
            rowspan = _span(td.get("rowspan"))
            colspan = _span(td.get("colspan"))
            repeat = text if not is_value_cell(text) else ""  # a merged number is stated once
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text if dr == dc == 0 else repeat
            c += colspan
    if not grid:
        return Table(())
    n_rows = max(r for r, _ in grid) + 1
    n_cols = max(c for _, c in grid) + 1
    return Table(tuple(tuple(grid.get((r, c), "") for c in range(n_cols)) for r in range(n_rows)))


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), 50))
    except (TypeError, ValueError):
        return 1


# --- DOCX -----------------------------------------------------------------------------------------------------
def read_docx(data: bytes, source: str) -> Document:
    """Word .docx into a Document: body paragraphs and tables in order, merged cells repeated."""
    import docx  # python-docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ReadError(f"{source}：不是有效的 .docx 文件（{e.__class__.__name__}）；若是旧版 .doc，请在 Word 里另存为 .docx。") from e
    _check_spans(document.element.body, source)
    blocks: list[Paragraph | Table] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = clean_text(DocxParagraph(child, document).text)
            for line in text.split("\n"):
                if line.strip():
                    blocks.append(Paragraph(line.strip()))
        elif tag == "tbl":
            blocks.append(Table(tuple(_docx_row(row) for row in DocxTable(child, document).rows)))
    title = (document.core_properties.title or "").strip() or None
    return Document(tuple(blocks), source, title)


def _check_spans(body, source: str) -> None:
    """A cell spanning more grid columns than any report table has (python-docx would lay out every one of them)."""
    from docx.oxml.ns import qn

    for span in body.iter(qn("w:gridSpan")):
        value = span.get(qn("w:val"), "1")
        if value.strip().isdigit() and int(value) > MAX_SPAN:
            raise ReadError(f"{source}：表格里有一个单元格横跨 {int(value):,} 列（上限 {MAX_SPAN}），结构异常，跳过。")


def _docx_row(row) -> tuple[str, ...]:
    """A Word row's cells; a merged cell repeats its label but states its number once."""
    cells: list[str] = []
    previous = None
    for cell in row.cells:
        text = re.sub(r"\s+", " ", clean_text(cell.text)).strip()
        cells.append("" if previous is cell._tc and is_value_cell(text) else text)
        previous = cell._tc
    return tuple(cells)


# --- PDF ------------------------------------------------------------------------------------------------------
def read_pdf(data: bytes, source: str) -> Document:
    """PDF text layer into a Document: table regions as tables, the other lines as paragraphs, page by page."""
    import logging

    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    # a damaged cross-reference table makes pdfminer warn once per object (fifty lines): the file's own line says
    # what matters
    logging.getLogger("pdfminer").setLevel(logging.ERROR)

    if not data.startswith(b"%PDF"):
        raise ReadError(f"{source}：不是有效的 PDF 文件（缺少 %PDF 文件头）。")
    blocks: list[Paragraph | Table] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if (pages := len(pdf.pages)) > MAX_PAGES:
                raise ReadError(f"{source}：PDF 有 {pages:,} 页，远超一份年度报告（上限 {MAX_PAGES} 页），跳过。")
            for page in pdf.pages:
                blocks.extend(_pdf_page_blocks(page))
    except ReadError:
        raise
    except PDFSyntaxError as e:
        raise ReadError(f"{source}：PDF 文件已损坏，无法读取（{e}）。") from e
    except Exception as e:  # pdfminer raises a wide range of errors on damaged files
        if "allocate" in str(e):  # zlib's own limit on a stream inflating past what memory allows
            raise ReadError(f"{source}：PDF 里的压缩数据解压后过大，无法读取（文件可能是压缩炸弹）。") from e
        raise ReadError(f"{source}：PDF 文件无法读取（{e.__class__.__name__}: {e}）。") from e
    if not any(isinstance(b, Paragraph) for b in blocks):
        raise ReadError(f"{source}：PDF 里没有文字层（可能是扫描件）；请提供可复制文字的 PDF 或 Word 版本。")
    return Document(tuple(blocks), source, None)


def _text_frame(rows) -> bool:
    """A ruled box around running text (a page framed by lines), not a table: one cell per row, mostly words."""
    filled = [[c for c in row if c and c.strip()] for row in rows]
    cells = [c for row in filled for c in row]
    return bool(cells) and all(len(row) <= 1 for row in filled) and \
        sum(1 for c in cells if len(re.findall(r"[\u4e00-\u9fff]", c)) >= 10) >= 0.5 * len(cells)


def _pdf_page_blocks(page) -> list[Paragraph | Table]:
    tables = [t for t in page.find_tables() if not _text_frame(t.extract())]
    boxes = [t.bbox for t in tables]
    items: list[tuple[float, Paragraph | Table]] = []
    for line in page.extract_text_lines():
        middle = (line["top"] + line["bottom"]) / 2
        if any(x0 <= line["x0"] + 1 and line["x1"] - 1 <= x1 and top <= middle <= bottom
               for x0, top, x1, bottom in boxes):
            continue
        text = clean_text(line["text"]).strip()
        if text:
            items.append((line["top"], Paragraph(text)))
    for table in tables:
        rows = tuple(
            tuple(re.sub(r"\s+", "", clean_text(cell or "")) for cell in row) for row in table.extract()
        )
        if rows:
            items.append((table.bbox[1], Table(rows)))
    items.sort(key=lambda item: item[0])
    return [block for _, block in items]
