"""Plain text and Markdown into a :class:`Document`: decoding and the table layouts of text extractions.

Three table layouts occur in text copied out of Word, PDF and web pages, often in one file:
- one cell per line, each prefixed by a tab, a blank line between rows (a cell may continue on the next line);
- one row per line, cells separated by tabs;
- Markdown pipe rows (``| a | b |``), separator rows (``|---|``) skipped.
Everything else is a paragraph, one per line.
"""
from __future__ import annotations

import re

from .errors import ReadError
from .model import Document, Paragraph, Table

__all__ = ["decode_text", "text_to_document", "clean_text", "crawler_header", "strip_page_noise"]

_ARTEFACTS = re.compile(r"\[bookmark:[^\]]*\]|[\u200b\u200c\u200d\ufeff]")
_PIPE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_HEADING = re.compile(r"^#{1,6}\s*")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f")  # control characters text never holds
_CONTROL_CHARS = re.compile("[" + re.escape(_CONTROL_BYTES.decode("ascii")) + "]")


def decode_text(data: bytes, source: str) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK; reject binary data."""
    if not data.strip():
        raise ReadError(f"{source}：文件是空的，没有可读的内容。")
    binary = ReadError(f"{source}：看起来是二进制文件，不是文本；请上传 .txt .md .html .docx 或 .pdf 格式的年度报告。")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        head = data[:20000]
        if b"\x00" in head or len(head) - len(head.translate(None, _CONTROL_BYTES)) > len(head) * 0.01:
            raise binary
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            if e.start >= len(data) - 3 and e.reason == "unexpected end of data":
                text = data[:e.start].decode("utf-8-sig")  # cut inside its last character: a truncated file
            elif _stray_bytes(data):
                text = data.decode("utf-8-sig", errors="replace")  # UTF-8 with a few broken bytes: keep it UTF-8
            else:
                try:
                    text = data.decode("gb18030")
                except UnicodeDecodeError:
                    raise ReadError(f"{source}：无法识别文字编码（不是 UTF-8 或 GBK/GB18030 文本），"
                                    "请另存为 UTF-8 后重试。") from None
    sample = text[:20000]
    controls = len(_CONTROL_CHARS.findall(sample))
    if "\x00" in sample or controls > len(sample) * 0.01:
        raise binary
    return _CONTROL_CHARS.sub("", text)  # a NUL or other control further on is no text either


def _stray_bytes(data: bytes) -> bool:
    """UTF-8 with a few bytes that are not (a copy cut mid-character, one stray byte): one broken sequence in a
    thousand characters or fewer. GBK text read as UTF-8 breaks at nearly every Chinese character."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    return broken * 1000 <= len(text)


def clean_text(text: str) -> str:
    """Drop Word artefacts (``[bookmark: _GoBack]``) and zero-width characters; normalise line ends."""
    text = _ARTEFACTS.sub("", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")


def _pipe_cells(line: str) -> tuple[str, ...]:
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    return tuple(cell.strip() for cell in inner.split("|"))


_FIELD = re.compile(r"^\s*(标题|题目|发布时间|发布日期|成文日期|文号|发文字号|发布机构|发文机关|信息来源|来源|栏目|所属栏目|"
                    r"原文链接|原始链接|链接|网址|本地目录|索引号|主题分类|分类)\s*[:：]\s*(.*?)\s*$")
_BODY_MARK = re.compile(r"^\s*(?:=+\s*正文\s*=+|正文\s*[:：]?)\s*$")
_HEADER_NOTE = re.compile(r"^\s*页面链接与图片详见")


def crawler_header(lines: list[str]) -> tuple[dict[str, str], int]:
    """The ``key: value`` lines a crawler writes above a page's text (标题, 发布时间, 发布机构, 原文链接…), and the
    index of the first line of the page's own text. No header: ({}, 0)."""
    fields: dict[str, str] = {}
    body = 0
    for i, line in enumerate(lines[:30]):
        if _BODY_MARK.match(line):
            return fields, i + 1
        if (match := _FIELD.match(line)) and not (fields and match[1] in fields):
            fields[match[1]] = match[2]
            body = i + 1
        elif _HEADER_NOTE.match(line) or not line.strip():
            if fields:
                body = i + 1
        else:
            break
    return (fields, body) if len(fields) >= 2 else ({}, 0)


# Left on a page copied as text: Word's style sheet and conditional comments, the breadcrumb and the share bar.
_NOISE = (
    re.compile(r"<!--\[if[^\]]*\]>?|<!\[endif\]-->|<!--\[endif\]-->|<!\[if[^\]]*\]>|-->"),
    re.compile(r"Normal\s+\d+\s+[\d.]+\s*磅.{0,120}?X-NONE(?:\s+[A-Z-]+)*"),
    re.compile(r"/\*\s*Style Definitions\s*\*/"),
    re.compile(r"[\w.#-]*\.Mso\w+\s*\{[^{}]*\}|\b(?:table|p|span|div)\.\w+\s*\{[^{}]*\}"),
    re.compile(r"当前位置\s*[:：].{0,200}?(?=(?:\S{2,40}?(?:19|20)\d{2}年度?[^。]{0,20}?(?:年度报告|年报)))"),
    re.compile(r"(?:来源\s*[:：]\s*)?时间\s*[:：]\s*\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"),
    re.compile(r"(?:(?:^|\s)(?:微信|微博|QQ空间|全真版|文字版|文件下载|附件下载|相关链接\s*[:：]?|分享到\s*[:：]?|打印本页|关闭窗口|"
               r"【\s*打印\s*】|【\s*关闭\s*】|字号\s*[:：]?\s*大\s*中\s*小)(?=\s|$))+"),
)


def strip_page_noise(text: str) -> str:
    """The page's own text without the debris of the web page around it (see ``_NOISE``)."""
    for pattern in _NOISE:
        text = pattern.sub(" ", text)
    return text


def text_to_document(text: str, source: str, title_hint: str | None = None) -> Document:
    """Split text into paragraphs and tables (see the module docstring for the layouts). A crawler's header above
    the text gives the title and publisher; the page's debris is dropped."""
    lines = clean_text(text).split("\n")
    fields, body = crawler_header(lines)
    if fields:
        lines = strip_page_noise("\n".join(lines[body:])).split("\n")
        title_hint = title_hint or fields.get("标题") or fields.get("题目") or None
    blocks: list[Paragraph | Table] = []
    rows: list[tuple[str, ...]] = []  # the table being built
    group: list[str] | None = None  # cells of a one-cell-per-line row being built
    last_was_cell = False

    def close_group() -> None:
        nonlocal group
        if group is not None:
            rows.append(tuple(group))
            group = None

    def close_table() -> None:
        close_group()
        if rows:
            blocks.append(Table(tuple(rows)))
            rows.clear()

    next_line: list[str | None] = [None] * (len(lines) + 1)  # the next non-blank line after each line
    for i in range(len(lines) - 1, -1, -1):
        next_line[i] = lines[i + 1] if i + 1 < len(lines) and lines[i + 1].strip() else next_line[i + 1]

    for i, line in enumerate(lines):
        if "\t" in line:
            stripped = line.lstrip("\t")
            if _is_indented_paragraph(stripped):
                close_table()
                blocks.append(Paragraph(stripped.strip()))
                last_was_cell = False
                continue
            if line.startswith("\t") and len(line) - len(stripped) == 1 and "\t" not in stripped:
                if group is None:
                    group = []
                group.append(stripped.strip())
            else:
                close_group()
                rows.append(tuple(cell.strip() for cell in line.split("\t")))
            last_was_cell = True
            continue
        if _PIPE_SEPARATOR.match(line.strip()) and line.strip():
            continue
        if line.strip().startswith("|") and line.strip().count("|") >= 2:
            close_group()
            rows.append(_pipe_cells(line))
            last_was_cell = False
            continue
        if not line.strip():
            if not _continues_after_blank(next_line[i]):
                close_group()
            last_was_cell = False
            continue
        if group is not None and last_was_cell and len(line.strip()) <= 20 and "。" not in line:
            group[-1] = group[-1] + line.strip()  # a cell that wrapped onto the next line
            continue
        following = next_line[i]
        if (rows or group is not None) and len(line.strip()) <= 8 and following is not None \
                and following.startswith("\t") and "。" not in line:
            if group is None:
                group = [""]
            group[-1] = group[-1] + line.strip()  # a label broken by an empty line inside a cell
            continue
        close_table()
        paragraph = _MD_HEADING.sub("", line.strip()) if line.lstrip().startswith("#") else line.strip()
        if paragraph:
            blocks.append(Paragraph(paragraph))
        last_was_cell = False
    close_table()
    publisher = (fields.get("发布机构") or fields.get("发文机关") or None) if fields else None
    return Document(tuple(blocks), source, title_hint, publisher)


def _continues_after_blank(later: str | None) -> bool:
    """True where a blank line sits inside one cell: the next line is a short, untabbed label fragment."""
    return later is not None and "\t" not in later and len(later.strip()) <= 8 and "。" not in later


def _is_indented_paragraph(text: str) -> bool:
    """A tab-indented line of prose (a first-line indent), not a table cell."""
    return "\t" not in text and len(text.strip()) > 40 and bool(re.search(r"[。，；]", text))
