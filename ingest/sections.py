"""Sections 一 to 六: headings, the table zones they open, narrative text and retrieval passages.

Reports number their sections inconsistently (a heading may lack its numeral, a body may add sections of its
own, a PDF may put the problems part after the tables with no heading), so a heading is recognised by its
title words; the numeral is only a hint that a short line is a heading at all.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Paragraph, Passage, Section, Table

__all__ = ["Heading", "heading_of", "subheading_of", "split_sections", "narrative_passages", "SECTION_NAMES"]

SECTION_NAMES = {
    "overview": "一、总体情况",
    "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "review": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}
_NUMBERED = re.compile(r"^[一二三四五六七八九十]{1,2}\s*[、.．]\s*")
_SUBNUMBERED = re.compile(r"^[（(]\s*[一二三四五六七八九十]{1,2}\s*[)）]\s*")
_TITLE_WORDS = (
    ("other", r"其他需要报告|其他需(?:要)?说明|信息处理费"),
    ("problems", r"存在的?(?:主要|突出)?问题|存在问题|问题及改进|改进情况|改进措施|整改措施|主要问题|突出问题|改进举措|"
                 r"下一步(?:改进|工作)"),
    ("review", r"行政复议|行政诉讼"),
    ("requests", r"收到和处理|依申请公开|公开申请情况|申请情况"),
    ("proactive", r"主动公开"),
    ("overview", r"总体情况|总体概况|概述|基本情况|核心成效|工作成效"),
)
_TABLE_LABELS = re.compile(r"本年度办理结果|本年新收|上年结转|结转下年|申请人情况|第二十条")
_UNNUMBERED_TITLES = re.compile(
    r"^(政府信息公开)?(工作)?(总体情况|主动公开政府信息情况|收到和处理政府信息公开申请情况|"
    r"政府信息公开行政复议、?行政诉讼情况|行政复议、?行政诉讼情况|"
    r"(政府信息公开工作)?存在的主要问题及改进(情况|措施)|其他需要报告的事项)$"
)


@dataclass(frozen=True)
class Heading:
    key: str | None
    text: str
    table: str | None = None  # 二/三/四 when the heading is a statistics table's own title


def heading_of(text: str) -> Heading | None:
    """A top-level section heading (一、… or a bare template title), or None."""
    line = text.strip().lstrip("#").strip()
    if not line or len(line) > 40 or "。" in line[:-1] or _TABLE_LABELS.search(line):
        return None
    numbered = _NUMBERED.match(line)
    title = line[numbered.end():] if numbered else line
    if not numbered and not _UNNUMBERED_TITLES.match(re.sub(r"\s+", "", title)):
        return None
    for key, pattern in _TITLE_WORDS:
        if re.search(pattern, title):
            return Heading(key, line, _table_titled(title))
    return Heading(None, line)


def _table_titled(title: str) -> str | None:
    if re.search(r"主动公开政府信息情况", title):
        return "二"
    if re.search(r"收到和处理|依申请公开政府信息情况", title):  # the second: older reports' wording
        return "三"
    if re.search(r"行政复议", title) and re.search(r"行政诉讼", title):
        return "四"
    return None


def subheading_of(text: str) -> str | None:
    """The title of a （一）… sub-part: a short line, or the lead phrase of a paragraph up to its first 。"""
    line = text.strip().lstrip("#").strip()
    if not _SUBNUMBERED.match(line):
        return None
    if len(line) <= 40 and "。" not in line[:-1]:
        return line.rstrip("。")
    lead = line.split("。", 1)[0]
    return lead if len(lead) <= 30 else None


def split_sections(blocks) -> tuple[list[str | None], list[Section], list[tuple[int, str, str]]]:
    """Walk the blocks once.

    Returns the table zone of every block (二/三/四 or None), the sections with their narrative text, and the
    narrative paragraphs as (section index, sub-part title, text).
    """
    zones: list[str | None] = []
    sections: list[tuple[str | None, str]] = [(None, "")]  # text before the first heading
    paragraphs: list[tuple[int, str, str]] = []
    zone: str | None = None
    sub = ""
    for block in blocks:
        heading = heading_of(block.text) if isinstance(block, Paragraph) else None
        if heading and heading.key is None and zone is not None:
            heading = None  # a numbered fragment inside a table (PDF debris such as "三、本法提供")
        if heading:
            sections.append((heading.key, heading.text))
            zone = heading.table
            sub = ""
            zones.append(zone)
            continue
        if isinstance(block, Paragraph):
            title = subheading_of(block.text)
            key = sections[-1][0]
            if title and key in ("requests", "review", "proactive", None) and zone and \
                    re.search(r"问题|不足|改进|整改", title):
                sections.append(("problems", title))  # a problems part placed after the tables, unheaded
                zone = None
            if title:
                sub = title
            if zone is None or not _looks_tabular(block.text):
                if _continues(paragraphs, len(sections) - 1, sub, block.text):
                    index, _, previous = paragraphs[-1]
                    paragraphs[-1] = (index, sub, previous + block.text.strip())  # a line broken by PDF layout
                else:
                    paragraphs.append((len(sections) - 1, sub, block.text))
        zones.append(zone)
    texts: dict[int, list[str]] = {}
    for index, _, text in paragraphs:
        texts.setdefault(index, []).append(text)
    built = [Section(key, heading, "\n".join(texts.get(i, []))) for i, (key, heading) in enumerate(sections)]
    return zones, built, paragraphs


_ENDS_SENTENCE = re.compile(r"[。！？；：…”」）)\]】!?;:]\s*$")
_STARTS_ITEM = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、是.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]|[-•·#])")


def _continues(paragraphs: list[tuple[int, str, str]], index: int, sub: str, text: str) -> bool:
    """True when ``text`` carries on the previous line: same part, the line before stopped mid-sentence at a
    typical line width (PDF extraction breaks lines, not paragraphs), and this line starts no new item."""
    if not paragraphs:
        return False
    last_index, last_sub, previous = paragraphs[-1]
    last_line = previous.rsplit("\n", 1)[-1]
    return (last_index, last_sub) == (index, sub) and len(last_line) >= 15 and not _ENDS_SENTENCE.search(previous) \
        and not _STARTS_ITEM.match(text) and subheading_of(previous) is None


def _looks_tabular(text: str) -> bool:
    """Inside a table zone, a short fragment (unless it ends a sentence wrapped above the table), a line of numbers
    or a table row written as a line (a label and three or more numbers) is table debris, not narrative."""
    stripped = text.strip()
    fragment = len(stripped) < 25 and not _SENTENCE_END_MARK.search(stripped)
    return fragment or bool(_NUMBERS_ONLY.fullmatch(stripped)) or bool(_ROW_LINE.search(stripped))


_SENTENCE_END_MARK = re.compile(r"[。！？]\s*$")  # the last line of a sentence wrapped above a table
_NUMBERS_ONLY = re.compile(r"[\d\s.,，、（）()%件万元个]+")
_ROW_LINE = re.compile(r"(?:\s+[+\-－]?\d[\d.,]*(?:万元|元)?){3,}\s*$")


_SENTENCE_END = re.compile(r"(?<=[。；！？])")


def narrative_passages(sections: list[Section], paragraphs: list[tuple[int, str, str]],
                       max_chars: int = 400) -> list[Passage]:
    """Narrative paragraphs grouped by section and sub-part into passages of at most ``max_chars``.

    A passage never spans two sub-parts; a paragraph longer than the limit is cut at sentence ends.
    """
    passages: list[Passage] = []
    chunk: list[str] = []
    chunk_key: tuple[int, str] | None = None
    offsets = {i: 0 for i in range(len(sections))}

    def flush() -> None:
        if not chunk or chunk_key is None:
            return
        index, sub = chunk_key
        section = sections[index]
        text = "\n".join(chunk)
        start = offsets[index]
        offsets[index] = start + len(text) + 1
        heading = section.heading or "（正文开头）"
        path = f"{heading} / {sub}" if sub and sub != heading else heading
        passages.append(Passage("text", section.key, path, len(passages), start, start + len(text), text))
        chunk.clear()

    for index, sub, text in paragraphs:
        key = (index, sub)
        pieces = [text] if len(text) <= max_chars else _cut(text, max_chars)
        for piece in pieces:
            if chunk_key != key or sum(len(c) + 1 for c in chunk) + len(piece) > max_chars:
                flush()
                chunk_key = key
            chunk.append(piece)
    flush()
    return passages


def _cut(text: str, max_chars: int) -> list[str]:
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        if current and len(current) + len(sentence) > max_chars:
            pieces.append(current)
            current = ""
        while len(sentence) > max_chars:
            pieces.append(sentence[:max_chars])
            sentence = sentence[max_chars:]
        current += sentence
    if current:
        pieces.append(current)
    return pieces
