"""The template's row labels aligned, in order, against a document's character stream.

Whatever a layout does to lines and cells, a report writes its table rows in the template's order, each label
followed by its numbers. :func:`align` finds every place a row's cue (``ingest.template.Row.stream_cue``) occurs
and keeps the chain of occurrences, in template order and in text order, that explains the most rows with
numbers after them (a weighted longest-increasing-subsequence, the sequence alignment of two orders). What lies
between a label and the next label of the chain is the first label's values: :func:`read_stream_tables`.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .stream import Stream, ValueRun, tokens_of, value_run
from .template import TABLE3, Row, table2_spec

__all__ = ["Item", "Placed", "align", "StreamTable", "read_stream_tables", "table_spans", "table3_items",
           "table2_items"]


@dataclass(frozen=True)
class Item:
    key: str  # a row key, or "header:<name>" for a group heading without values
    cue: str
    number: str  # the row's numbering (1. / （一） / 一.), searched just before the cue
    label: str  # the template's label, for how far the rest of a label may run
    values: bool = True


@dataclass(frozen=True)
class Placed:
    key: str
    start: int  # where the label starts (its numbering included)
    end: int  # where the cue ends
    run: ValueRun | None  # the numbers after the label


def _item(row: Row) -> Item:
    return Item(row.key, row.stream_cue, row.number, row.label)


_T3_HEADERS = {  # group headings of table 三, placed before the row they open
    "disclosed": Item("header:results", r"本年度办理结果|办理结果", "三.", "三、本年度办理结果", values=False),
    "withheld.state_secret": Item("header:withheld", r"不予公开", "（三）", "（三）不予公开", values=False),
    "unavailable.not_held": Item("header:unavailable", r"无法提供", "（四）", "（四）无法提供", values=False),
    "not_processed.petition": Item("header:not_processed", r"不予处理", "（五）", "（五）不予处理", values=False),
}


@functools.lru_cache(maxsize=None)
def table3_items() -> tuple[Item, ...]:
    """Every row of table 三 of both formats in template order (（六）其他处理 both as a row and before the 2021
    sub-rows), with the group headings."""
    items: list[Item] = []
    for row in TABLE3.rows:
        if row.key in _T3_HEADERS:
            items.append(_T3_HEADERS[row.key])
        items.append(_item(row))
    return tuple(items)


@functools.lru_cache(maxsize=None)
def table2_items(fmt: str) -> tuple[Item, ...]:
    return tuple(_item(row) for row in table2_spec(fmt).rows)


# --- the alignment ------------------------------------------------------------------------------------------
_NARRATIVE_UNIT = re.compile(r"[件条项个次篇人份期家所余]")
_VALUE_START = re.compile(r"[0-9+\-]")


@dataclass(frozen=True)
class _Occurrence:
    item: int
    start: int
    end: int
    value_at: int  # where its numbers would start (-1: none within reach)


@functools.lru_cache(maxsize=512)
def _cue(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _label_start(text: str, item: Item, at: int) -> int:
    """The label's numbering, when it stands just before the cue (with only label words between)."""
    if not item.number:
        return at
    window = text[max(0, at - max(12, len(item.label))):at]
    found = window.rfind(item.number)
    if found >= 0 and re.fullmatch(r"[\u4e00-\u9fff\"“”]*", window[found + len(item.number):]):
        return at - len(window) + found
    return at


def _values_at(text: str, item: Item, end: int, stop: int) -> int:
    """Where the numbers after a label begin: past the rest of the label (no further than the template's label is
    long, and never past a sentence end), or -1."""
    reach = min(stop, end + max(len(item.label) - 2, 4) + 8)
    match = _VALUE_START.search(text, end, reach)
    if not match or "。" in text[end:match.start()]:
        return -1
    return match.start()


def _run(text: str, at: int, stop: int) -> ValueRun | None:
    if at < 0 or at >= stop:
        return None
    run = value_run(text, at, stop)
    if run is None or (run.end < len(text) and _NARRATIVE_UNIT.match(text, run.end) and run.end < stop):
        return None  # "共收到申请3件": a sentence's number, not a cell
    return run


def align(text: str, items: tuple[Item, ...], start: int = 0, end: int | None = None) -> list[Placed]:
    """The best chain of label occurrences in ``text[start:end]`` (see the module docstring)."""
    end = len(text) if end is None else end
    occurrences: list[_Occurrence] = []
    for index, item in enumerate(items):
        last_end = -1
        for match in _cue(item.cue).finditer(text, start, end):
            if last_end >= 0 and match.start() - last_end < len(item.label):
                continue  # another cue word of the same label (收费通知 … 缴纳费用)
            occurrences.append(_Occurrence(index, _label_start(text, item, match.start()), match.end(), -1))
            last_end = match.end()
    if not occurrences:
        return []
    occurrences.sort(key=lambda o: (o.start, o.item))
    starts = [o.start for o in occurrences]
    # a label's numbers end where the next label (of any row) begins
    resolved: list[_Occurrence] = []
    for k, o in enumerate(occurrences):
        following = next((s for s in starts[k + 1:] if s >= o.end), end)
        at = _values_at(text, items[o.item], o.end, following) if items[o.item].values else -1
        if at >= 0 and _run(text, at, following) is None:
            at = -1
        resolved.append(_Occurrence(o.item, o.start, o.end, at))
    best: list[float] = []
    back: list[int] = []
    for k, o in enumerate(resolved):
        own = 3.0 if o.value_at >= 0 else 1.0
        score, parent = own, -1
        for j in range(k):
            p = resolved[j]
            if p.item >= o.item or p.end > o.start:
                continue
            gap = text[p.end:o.start]
            penalty = 0.1 * (o.item - p.item - 1) + (3.0 if "。" in gap or len(gap) > 300 else 0.0)
            if best[j] + own - penalty > score:
                score, parent = best[j] + own - penalty, j
        best.append(score)
        back.append(parent)
    k = max(range(len(resolved)), key=lambda i: best[i])
    chain: list[_Occurrence] = []
    while k >= 0:
        chain.append(resolved[k])
        k = back[k]
    chain.reverse()
    placed: list[Placed] = []
    for i, o in enumerate(chain):
        stop = chain[i + 1].start if i + 1 < len(chain) else end
        item = items[o.item]
        run = _run(text, _values_at(text, item, o.end, stop), stop) if item.values else None
        placed.append(Placed(item.key, o.start, o.end, run))
    return placed


# --- the three tables ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StreamTable:
    number: str  # 二 / 三 / 四
    rows: dict[str, tuple[str, ...]]  # row key -> value tokens
    raw: dict[str, str]  # row key -> the source text of its numbers
    found: tuple[str, ...]  # row keys whose labels were found (with or without numbers)
    start: int
    end: int


def _table(number: str, stream: Stream, placed: list[Placed]) -> StreamTable | None:
    rows = {p.key: tuple(tokens_of(p.run.text)) for p in placed if p.run}
    if not rows:
        return None
    raw = {p.key: stream.raw_between(p.run.start, p.run.end) for p in placed if p.run}
    last = max((p.run.end for p in placed if p.run), default=placed[-1].end)
    return StreamTable(number, rows, raw, tuple(p.key for p in placed if not p.key.startswith("header:")),
                       placed[0].start, last)


_T4_START = re.compile(r"行政复议")
_T4_GROUP = re.compile(r"(?:行政复议|行政诉讼|未经复议直接起诉|直接起诉|复议后起诉|[:：])+")


def _table4(stream: Stream, start: int) -> StreamTable | None:
    """Table 四's fifteen numbers: after its heading and header (the group and column words, no sentence), in one
    run or in runs between the group labels."""
    text = stream.text
    match = _HEADERS["四"].search(text, start) or _T4_START.search(text, start)
    if not match:
        return None
    first = _VALUE_START.search(text, match.end(), match.end() + 300)
    if not first or re.search(r"[。；]", text[match.end():first.start()]):
        return None
    position, runs = first.start(), []
    while position < len(text) and _VALUE_START.match(text, position):
        run = _run(text, position, len(text))
        if run is None:
            break
        runs.append(run)
        words = _T4_GROUP.match(text, run.end)
        position = words.end() if words else run.end
    if not runs:
        return None
    tokens = tuple(t for run in runs for t in tokens_of(run.text))
    raw = " ".join(stream.raw_between(r.start, r.end).strip() for r in runs)
    return StreamTable("四", {"all": tokens}, {"all": raw}, ("all",), match.start(), runs[-1].end)


_HEADERS = {"二": re.compile(r"第二十条|信息内容"), "三": re.compile(r"本列数据|勾稽关系|申请人情况"),
            "四": re.compile(r"行政复议(?:[.,]?行政诉讼)?(?=结果|维持)")}


def _with_header(text: str, table: StreamTable) -> StreamTable:
    """The table's span from its column header on (the header's words are the table's, not narrative)."""
    window_start = max(0, table.start - 300)
    window = text[window_start:table.start]
    cut = max(window.rfind("。"), window.rfind("；"))
    match = _HEADERS[table.number].search(text, window_start + cut + 1, table.start + 1)
    if match is None:
        return table
    start = match.start() - 1 if match.start() > 0 and text[match.start() - 1] in "（[【" else match.start()
    return StreamTable(table.number, table.rows, table.raw, table.found, start, table.end)


def table_spans(stream: Stream, tables: dict[str, StreamTable]) -> list[tuple[int, int]]:
    """The tables' spans as offsets into the stream's raw text, in order."""
    spans = []
    for table in tables.values():
        table = _with_header(stream.text, table)
        spans.append((stream.origin[table.start], stream.origin[table.end - 1] + 1))
    return sorted(spans)


def read_stream_tables(stream: Stream, fmt: str) -> dict[str, StreamTable]:
    """Tables 二, 三 and 四 read from the stream: table 三 first (its labels are the most distinctive), table 二
    before it, table 四 after it."""
    text = stream.text
    tables: dict[str, StreamTable] = {}
    t3 = _table("三", stream, align(text, table3_items()))
    if t3 is not None and len(t3.rows) < 2:
        t3 = None  # one "row" is a sentence that happens to hold a label and a number
    if t3 is not None:
        tables["三"] = t3
    t2_end = t3.start if t3 else len(text)
    t2 = _table("二", stream, align(text, table2_items(fmt), 0, t2_end))
    if t2 is not None:
        tables["二"] = t2
    t4 = _table4(stream, t3.end if t3 else (t2.end if t2 else 0))
    if t4 is not None:
        tables["四"] = t4
    return tables
