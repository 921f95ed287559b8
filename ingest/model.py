"""Frozen objects passed between the stages of the write path.

A reader turns a file into a :class:`Document` (ordered paragraphs and tables); the report parser turns a
Document into a :class:`Report` (metadata, sections, cells, passages, findings). Dicts appear only at the SQLite
boundary (``ingest.store``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["NO_SUCH_ROW", "Paragraph", "Table", "Document", "Cell", "Passage", "Finding", "Section", "Report"]

NO_SUCH_ROW = "报告中没有这一行"  # the warning on a template row's cells when the report has no such row


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    """Rows of cell texts, with merged cells already expanded (a rowspan/colspan repeats the text)."""

    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Document:
    """The one intermediate form every reader produces."""

    blocks: tuple[Paragraph | Table, ...]
    source: str  # file name, for messages only
    title_hint: str | None = None  # a title the container states (HTML <title>, DOCX core title, a crawler's 标题)
    publisher: str | None = None  # the body a page says published it (a crawler's 发布机构): a hint, not the author


@dataclass(frozen=True)
class Cell:
    """One cell of tables 二, 三 or 四.

    ``value`` is None when the source does not state a number: ``status`` says why ("blank" for an empty cell,
    a dash or an absent row, "unknown" for a value that cannot be placed, with ``warning`` saying why).
    """

    table: str  # 二 / 三 / 四
    row_key: str
    row_label: str
    col_key: str
    col_label: str
    value: float | None
    unit: str | None
    raw: str
    status: str = "ok"  # ok | blank | unknown
    warning: str | None = None
    how: str = "stated"  # how it was read: stated | split (one way only) | arithmetic | repeats | blank | unknown


@dataclass(frozen=True)
class Section:
    key: str | None  # overview | proactive | requests | review | problems | other | None
    heading: str  # as written, e.g. "五、存在的主要问题及改进情况"
    text: str


@dataclass(frozen=True)
class Passage:
    """A piece of text for retrieval: narrative (``kind='text'``) or one table row rendered (``kind='row'``)."""

    kind: str
    section_key: str | None
    section: str  # section path as written, e.g. "五、存在的主要问题及改进情况 / （一）存在问题"
    order: int
    start: int  # character offsets into the section text (narrative only; -1 for rows)
    end: int
    text: str  # as written in the report
    search_text: str | None = None  # the text in Simplified characters, where it was written in Traditional


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str
    cells: tuple[str, ...]  # "表/row_key/col_key"


@dataclass(frozen=True)
class Report:
    body: str
    body_full: str
    year: int
    title: str | None
    format: str  # "2019" | "2021"
    source: str
    sections: tuple[Section, ...]
    cells: tuple[Cell, ...]
    passages: tuple[Passage, ...]
    findings: tuple[Finding, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    # each statistics table's state: complete | incomplete (cut off) | missing (not in the text: cut, or an image)
    tables: tuple[tuple[str, str], ...] = (("二", "complete"), ("三", "complete"), ("四", "complete"))
    part: str = "full"  # full | excerpt (a fragment that names no body or year, taken for a held report's)

    def table_state(self, number: str) -> str:
        return dict(self.tables).get(number, "missing")
