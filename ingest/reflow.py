"""Paragraphs for the narrative, out of text whose lines say nothing about its paragraphs.

Two layouts of crawler text defeat a line-by-line reading of sections:
- the page body as one long line, headings, narrative and tables run together
  (``…六、其他需要报告的事项2024年，无收取…``);
- a line broken anywhere, one fragment per line (``202`` / ``2`` / ``年`` / ``，市民族宗教局…``).
:func:`reflow` rewrites such paragraphs: the tables (found by ``ingest.align``) are cut out, fragments are joined
into sentences, and section headings and numbered sub-parts start paragraphs of their own. Other documents are
returned as they are.
"""
from __future__ import annotations

import re

from .model import Paragraph

__all__ = ["reflow", "is_fragmented"]

LONG_LINE = 300
_TITLES = (  # the template's section titles and the variants seen, longest first within a section
    r"总体情况|总体概况|基本情况|概述|年度工作核心成效",
    r"主动公开政府信息情况",
    r"收到和处理政府信息公开申请情况|依申请公开政府信息情况",
    r"(?:因)?政府信息公开(?:工作)?(?:被申请)?行政复议[、，和与及]*(?:提起)?行政诉讼(?:的)?情况|行政复议[、和与及]*行政诉讼情况",
    r"(?:政府信息公开工作)?存在的?(?:主要|突出)?问题(?:及|和|与)(?:改进|整改)(?:情况|措施)|(?:政府信息公开工作)?存在的?主要问题"
    r"及明年工作计划|当前存在的突出问题|存在的主要问题|下一步(?:改进|工作)(?:举措|措施|计划)|改进(?:情况|措施)",
    r"其他需要报告的事项|其他需(?:要)?说明(?:的)?事项|(?:政府)?信息(?:公开)?处理费(?:收取|收费)?情况",
)
_HEADING = re.compile(r"(?:(?<=^)|(?<=[。！？；：”）)\s\d]))\s*([一二三四五六七八九十]{1,2})\s*[、.．]\s*(?:" + "|".join(_TITLES) + r")")
_SUBPART = re.compile(r"(?<=[。！？；])\s*(?=[（(][一二三四五六七八九十]{1,2}[)）])")
_SENTENCE_END = re.compile(r"[。！？；：…”」）)\]】!?;:]$")
_STARTS_PART = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|[一二三四五六七八九十]是)")


def is_fragmented(blocks) -> bool:
    """Lines broken anywhere: a third of the lines that are not numbers are a few characters of a sentence (a PDF's
    text breaks lines at the page width, which the section reader joins itself)."""
    lines = [t for b in blocks if isinstance(b, Paragraph) and (t := b.text.strip()) and not _NUMBER_LINE.fullmatch(t)]
    if len(lines) < 40:
        return False
    tiny = sum(1 for line in lines if len(line) < 8 and not _SENTENCE_END.search(line))
    return tiny >= 0.35 * len(lines)


_NUMBER_LINE = re.compile(r"[\d.+\-% ]+")
_SUBHEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])[^。，；]{0,28}$")


def reflow(blocks, table_spans: list[tuple[int, int]]) -> tuple:
    """The blocks with long lines and broken lines rewritten (see the module docstring). ``table_spans`` are
    offsets of the tables in the text of the blocks joined by newlines (``ingest.stream.stream_of``'s raw text)."""
    fragmented = is_fragmented(blocks)
    if not fragmented and not any(isinstance(b, Paragraph) and len(b.text) > LONG_LINE for b in blocks):
        return tuple(blocks)
    out: list = []
    offset = 0
    pending = ""
    for block in blocks:
        text = block.text if isinstance(block, Paragraph) else None
        length = len(text) if text is not None else len("\n".join("\t".join(r) for r in block.rows))
        if text is None:
            pending = _flush(pending, out)
            out.append(block)
        else:
            for piece, broken in _without_tables(text, offset, table_spans):
                if broken:
                    pending = _flush(pending, out)
                if not piece.strip():
                    continue
                if fragmented and pending and not _SENTENCE_END.search(pending) and not _STARTS_PART.match(piece) \
                        and not _HEADING.match(piece) and not _SUBHEADING.match(pending):
                    pending += piece.strip()
                else:
                    pending = _flush(pending, out)
                    pending = piece.strip()
                if not fragmented:
                    pending = _flush(pending, out)
        offset += length + 1
    _flush(pending, out)
    return tuple(out)


def _without_tables(text: str, offset: int, spans: list[tuple[int, int]]):
    """Pieces of one line outside the tables, and whether a table stood before each."""
    position = 0
    for start, end in spans:
        a, b = max(start - offset, 0), min(end - offset, len(text))
        if a >= b or b <= position:
            continue
        yield text[position:a], False
        position = b
        yield "", True
    yield text[position:], False


def _flush(pending: str, out: list) -> str:
    if pending:
        out.extend(Paragraph(p) for p in _split(pending))
    return ""


def _split(text: str) -> list[str]:
    """A long text cut before each section heading and each numbered sub-part that follows a sentence; the heading
    stands alone."""
    if len(text) <= 60:
        return [text]
    pieces: list[str] = []
    position = 0
    for match in _HEADING.finditer(text):
        if match.start() > position:
            pieces.extend(_SUBPART.split(text[position:match.start()]))
        pieces.append(match[0].strip())
        position = match.end()
    pieces.extend(_SUBPART.split(text[position:]))
    return [p.strip() for p in pieces if p.strip()]
