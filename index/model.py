"""Frozen objects of the read path: a parsed question, a retrieval hit, and the cited answer."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["Citation", "Answer", "Chart", "Hit", "Query", "Measure", "ReportRef"]


@dataclass(frozen=True)
class ReportRef:
    id: str
    body: str
    body_full: str
    year: int
    title: str | None
    source: str
    format: str
    tables: str | None = None  # JSON {"二": "complete" | "incomplete" | "missing", …} (ingest.model.Report.tables)

    def table_state(self, number: str) -> str:
        import json

        return json.loads(self.tables).get(number, "complete") if self.tables else "complete"

    @property
    def display_title(self) -> str:
        return self.title or f"{self.body}{self.year}年政府信息公开工作年度报告（原文无标题）"


@dataclass(frozen=True)
class Citation:
    org: str
    year: int
    title: str
    file: str
    section: str
    text: str


@dataclass(frozen=True)
class Chart:
    """What an aggregate answer can be drawn as: a trend is a line over years, a ranking or comparison bars."""

    kind: str  # line | bar
    title: str  # names the measure and the scope: 东柳街道历年本年新收政府信息公开申请数量
    unit: str | None  # 件, 万元, … (None: mixed or unstated)
    points: tuple[tuple[str, float], ...]  # (label, value) in the order drawn: years ascending, ranks descending
    sources: tuple[str, ...] = ()  # the reports read, for the footnote: 《title》（file）
    gaps: tuple[tuple[str, str], ...] = ()  # a line's years held but not drawn, and why: ("2019年", "无法确定")


@dataclass(frozen=True)
class Answer:
    question: str
    kind: str  # numeric | aggregate | narrative | none
    answer: str
    value: float | None = None
    unit: str | None = None
    org: str | None = None
    year: int | None = None
    citations: tuple[Citation, ...] = ()
    warnings: tuple[str, ...] = ()
    # a name not held: the nearest held bodies, and the question asked again about each (Telegram offers buttons)
    suggestions: tuple[tuple[str, str], ...] = ()  # (body, question)
    chart: Chart | None = None  # a trend, ranking or comparison that can be drawn
    carried: str = ""  # a follow-up question: what it took from the question before (按上一问：本年新收申请)

    def to_json(self) -> dict:
        data = asdict(self)
        data["citations"] = [asdict(c) for c in self.citations]
        data["warnings"] = list(self.warnings)
        data["suggestions"] = [{"body": body, "question": question} for body, question in self.suggestions]
        if self.chart is not None:
            data["chart"] = {**asdict(self.chart), "points": [list(p) for p in self.chart.points],
                             "sources": list(self.chart.sources), "gaps": [list(g) for g in self.chart.gaps]}
        if isinstance(self.value, float) and self.value.is_integer():
            data["value"] = int(self.value)
        return data


@dataclass(frozen=True)
class Hit:
    passage_id: int
    score: float
    report: ReportRef
    kind: str
    section_key: str | None
    section: str
    text: str
    favoured: bool = False  # in the section the question points at


@dataclass(frozen=True)
class Measure:
    """What a numeric question asks for: rows of one table (summed when several) and one column."""

    table: str  # 二 / 三 / 四
    rows: tuple[str, ...]
    column: str | None  # None: the row's default column
    label: str  # how the answer names it
    unit: str | None = "件"
    alternatives: tuple[tuple[str, ...], ...] = ()  # rows to use instead where the first set is absent


@dataclass(frozen=True)
class Query:
    text: str  # normalised question
    bodies: tuple[str, ...] = ()
    unknown_body: str | None = None  # a body named in the question that the store does not hold
    years: tuple[int, ...] = ()
    measure: Measure | None = None
    column: str | None = None  # table 三 applicant column (legal_persons = the five organisation columns)
    operation: str = "value"  # value | sum | max | min | rank | rank_min | nth | nth_min | compare | trend
    top: int | None = None
    scope: str | None = None  # 街道 / 镇 / 乡 for "各街道"
    section: str | None = None  # a section the question points at: problems | measures | channels | contact | fees
    fuzzy: tuple[str, ...] = field(default=())  # bodies matched with one character different
    in_scope: bool = True
    suggestions: tuple[str, ...] = ()  # held bodies one character away from an unknown short name
    topic: str = ""  # what is asked: the question without its body names and years
    difference: bool = False  # 比去年多多少, A比B多几件: the difference of two readings is asked
    recent: int = 0  # 近两年: the N years up to the newest held (service._recent_years)
    # What the reader could not account for: words that change what is asked (重大项目, 转到下一年, 人数), so no
    # table cell answers it. Empty when every word of the question is understood.
    leftover: str = ""
    leftover_words: tuple[str, ...] = ()  # the words as written, from the first left over to the last (缴纳了多少信息处理费)
    measures: tuple[Measure, ...] = ()  # several measures asked at once (A和B): each, and their sum
    defaulted: bool = False  # 申请 alone: read as 本年新收
    asks_count: bool = False  # 多少, 几件, 数量: a number is asked for
    english: bool = False  # written in English (or another Latin-script language)
    place: str | None = None  # the bodies of a place are asked about (平潭各单位): the place's own body name
    follow_up: bool = False  # 那2022年呢, 那东柳街道呢: asks on from a question before, which is not kept
    share: bool = False  # 比例, 占比, 百分之几: the measure as a share of its total is asked
    negated: str = ""  # 没有, 除了…以外 before a row: what the row does not count is asked, which no cell holds
    negated_measures: tuple[Measure, ...] = ()  # the rows so negated
    share_whole: Measure | None = None  # the whole the question names (不予公开中属于国家秘密的占比: 不予公开)
    share_of_row: bool = False  # 予以公开的申请中自然人占比: a column's share of its own row
    each: bool = False  # several measures asked each (分别, or rows that add up to nothing): no sum
    span: tuple[int | None, int | None] | None = None  # 2019年以来, 2023年以前: the years held in it are asked
