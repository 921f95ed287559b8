"""Numbers from stored cells by parameterised SQL: one value, and sums, rankings, comparisons and trends.

A number in an answer is always a stored cell or a sum of stored cells; a blank cell is reported as blank and an
unknown one as unknown, never as 0. Sums say which cells they add and how many of them were blank.
"""
from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, replace

from ingest.checks import fmt_number, row_display
from ingest.model import NO_SUCH_ROW, Cell
from ingest.template import LEGAL_PERSON_COLUMNS, T3_COLUMNS, T3_FLOW_KEYS, T4_COLUMNS

from .lexicon import words_for
from .model import Citation, Measure, Query, ReportRef
from .phrasing import short_row, subject, t2_column_name, template_order, where
from .wording import W

__all__ = ["Reading", "Tables", "read_measure", "read_measures", "describe_value", "describe_share", "whole_of", "contradictions", "column_keys", "RESULTS_TOTAL",
           "is_money", "shown"]

_APPLICANT_COLUMNS = tuple(c.key for c in T3_COLUMNS if c.key != "total")
_T3_LABELS = {c.key: c.label for c in T3_COLUMNS} | {"legal_persons": "法人或其他组织（五类合计）"}
_T4_LABELS = {c.key: c.label for c in T4_COLUMNS}
_COLUMN_ORDER = {c.key: i for i, c in enumerate(T3_COLUMNS)} | {c.key: i for i, c in enumerate(T4_COLUMNS)}
_T4_WORDS = ((r"维持", "upheld"), (r"纠正|纠错|败诉|撤销|确认违法", "corrected"), (r"尚未审结|未审结|未结", "pending"),
             (r"其他结果", "other"))
# Table 二 columns of one format and what the other format calls the same count (2019 本年新公开 / 2021 本年制发):
# read where the report's format lacks the column asked for; the answer names the column it read.
_T2_EQUIVALENT = {"made": ("issued",), "published": ("issued",), "issued": ("made",), "total_public": ("in_force",),
                  "in_force": ("total_public",)}


@dataclass(frozen=True)
class Reading:
    """What a measure reads in one report."""

    report: ReportRef
    measure: Measure
    value: float | None
    unit: str | None
    status: str  # ok | blank | unknown | missing
    cells: tuple[Cell, ...]
    column_label: str
    blanks: int = 0
    why: str | None = None
    from_columns: bool = False  # 总计 left blank: the value is the sum of the six applicant columns, all stated


class Tables:
    """Read access to reports, cells and findings over one connection."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._indexes: dict[str, bool] = {}

    def _refs(self, where: str, args: tuple) -> list[ReportRef]:
        """Reports matching ``where``: one per body and year, the full report where an excerpt of it is held too."""
        rows = self.conn.execute(
            f"SELECT id, body, body_full, year, title, source, format, tables FROM reports WHERE ({where}) AND NOT"
            " (part = 'excerpt' AND EXISTS (SELECT 1 FROM reports f WHERE f.body = reports.body AND f.year ="
            " reports.year AND f.part = 'full')) ORDER BY year, body", args).fetchall()
        return [ReportRef(*row) for row in rows]

    def reports_of(self, body: str) -> list[ReportRef]:
        return self._refs("body = ?", (body,))

    def mentions(self, body: str, word: str) -> bool:
        """Whether the text of one of ``body``'s reports has ``word`` in it."""
        return self.conn.execute("SELECT EXISTS (SELECT 1 FROM passages p JOIN reports r ON r.id = p.report_id"
                                 " WHERE r.body = ? AND instr(p.text, ?) > 0)", (body, word)).fetchone()[0] == 1

    def percent_stated(self, report_id: str, percent: float, count: float, words: frozenset[str]) -> str | None:
        """A sentence of the report's text that states ``count`` of one of ``words`` (the cells' names) and, right
        after it as its share (同意公开3件，占比37.5%; 无法提供 564 件（47.36%）), ``percent`` as printed to its own
        decimals; None when no sentence does (办结率100% is no share; 无法提供4件 is not of 予以公开)."""
        number = re.escape(fmt_number(count))
        share = re.compile(rf"([^。；;，,]*?)(?<![\d.]){number}\s*[件个项条][，,]?\s*(?:[（(]|占[^。；;，,]{{0,10}}?|比例为?"
                           rf"|比重为?)\s*(\d+(?:\.\d+)?)\s*[%％]")
        for (text,) in self.conn.execute("SELECT text FROM passages WHERE report_id = ? AND kind = 'text'"
                                         " AND instr(text, '%') + instr(text, '％') > 0", (report_id,)):
            for sentence in re.split(r"(?<=[。；！？])|\n", text):
                for before, printed in share.findall(sentence):
                    decimals = len(printed.split(".")[1]) if "." in printed else 0
                    if abs(float(printed) - percent) <= 0.5 * 10 ** -decimals + 1e-9 and \
                            any(word in re.sub(r"\s+", "", before) for word in words):
                        return sentence.strip()
        return None

    def reports_in(self, year: int, scope: str | None = None, place: str | None = None) -> list[ReportRef]:
        clause, args = _scope_clause(scope, place)
        return self._refs(f"year = ? AND {clause}", (year, *args))

    def latest_year(self, scope: str | None = None, place: str | None = None) -> int | None:
        years = self.years(scope, place)
        return years[-1] if years else None

    def years(self, scope: str | None = None, place: str | None = None) -> list[int]:
        """The years held (of the bodies in scope: 街道 / 镇 / 乡 / 片区 / 局, of a place), oldest first."""
        clause, args = _scope_clause(scope, place)
        return [year for (year,) in self.conn.execute(f"SELECT DISTINCT year FROM reports WHERE {clause}"
                                                      " ORDER BY year", args)]

    def bodies(self) -> list[tuple[str, str]]:
        return self.conn.execute("SELECT DISTINCT body, body_full FROM reports").fetchall()

    def cells(self, report_id: str, table: str, rows: tuple[str, ...]) -> list[Cell]:
        """Cells of the given rows; a row also matches its extra sub-rows (other_services/行政检查)."""
        return self.cells_of([report_id], table, rows).get(report_id, [])

    def cells_of(self, report_ids: list[str], table: str, rows: tuple[str, ...]) -> dict[str, list[Cell]]:
        """The same for many reports at once (one query per 500 reports): report id -> cells, each report's in the
        order of their keys (row, then column)."""
        # 'x/' <= key < 'x0' is every key that starts with 'x/' ('0' follows '/'): LIKE 'x/%', but by the key
        clauses = " OR ".join("row_key = ? OR (row_key >= ? AND row_key < ?)" for _ in rows)
        row_args: list = []
        for row in rows:
            row_args += [row, row + "/", row + "0"]
        found: dict[str, list[Cell]] = {}
        for start in range(0, len(report_ids), 500):
            chunk = report_ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for report_id, *row in self.conn.execute(
                    "SELECT report_id, tbl, row_key, row_label, col_key, col_label, value, unit, raw, status, warning, how"
                    f" FROM cells WHERE report_id IN ({marks}) AND tbl = ? AND ({clauses})"
                    " ORDER BY report_id, row_key, col_key", [*chunk, table, *row_args]):
                found.setdefault(report_id, []).append(Cell(*row))
        return found

    def findings(self, report_id: str, rules: tuple[str, ...] = ()) -> list[tuple[str, tuple[str, ...]]]:
        """(message, cell refs) of the rules the report breaks (only ``rules`` when given)."""
        sql = "SELECT message, cells FROM findings WHERE report_id = ?"
        if rules:
            sql += f" AND rule IN ({','.join('?' * len(rules))})"
        rows = self.conn.execute(sql, (report_id, *rules)).fetchall()
        return [(message, tuple(json.loads(cells))) for message, cells in rows]

    def findings_of(self, report_ids: list[str], rules: tuple[str, ...] = (), table: str = "",
                    rows: tuple[str, ...] = ()) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
        """``findings`` of many reports with one query: report id -> (message, cell refs), each report's in the
        same order. With ``table`` and ``rows``, only the findings that name a cell of those rows (or their
        sub-rows): the others cannot take part in what a measure of them reads."""
        sql = "SELECT report_id, message, cells FROM findings WHERE report_id IN (SELECT value FROM json_each(?))"
        args: list = [json.dumps(list(dict.fromkeys(report_ids)))]
        if rules:
            sql += f" AND rule IN ({','.join('?' * len(rules))})"
            args += rules
        if rows:
            sql += (" AND EXISTS (SELECT 1 FROM json_each(findings.cells) ref WHERE "
                    + " OR ".join("(ref.value >= ? AND ref.value < ?)" for _ in rows) + ")")
            args += [bound for row in rows for bound in (f"{table}/{row}/", f"{table}/{row}0")]
        found: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for report_id, message, cells in self.conn.execute(sql + " ORDER BY rowid", args):
            found.setdefault(report_id, []).append((message, tuple(json.loads(cells))))
        return found

    def has_index(self, name: str) -> bool:
        """Whether the store has this index (a store written before it was added gets it at its next ingest)."""
        if name not in self._indexes:
            self._indexes[name] = self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)).fetchone() is not None
        return self._indexes[name]


def _scope_clause(scope: str | None, place: str | None = None) -> tuple[str, tuple[str, ...]]:
    """SQL over reports for a kind of body (街道 / 镇 / 乡, 乡镇 for both of the last two, 片区, 局, 县, 区; None for all)
    and a place (the bodies of 平潭综合实验区: their names start with it; the place's own report is not one of
    them)."""
    clauses, args = [], []
    if scope in ("县", "区"):  # a county's or district's government, not a 片区 or a zone (平潭综合实验区)
        clauses.append("((body LIKE ? OR body LIKE ? OR body LIKE ?) AND body NOT LIKE ? AND body NOT LIKE ?"
                       " AND body NOT LIKE ? AND body NOT LIKE ?)")
        args += [f"%{scope}", f"%{scope}人民政府", f"%{scope}政府", "%片区", "%实验区", "%开发区", "%高新区"]
    elif scope:
        kinds = ("镇", "乡") if scope == "乡镇" else (scope,)
        clauses.append("(" + " OR ".join("body LIKE ? OR body_full LIKE ? OR body LIKE ?" for _ in kinds) + ")")
        args += [arg for kind in kinds for arg in (f"%{kind}", f"%{kind}办事处", f"%{kind}管理局")]
    if place:
        clauses.append("(body LIKE ? AND body != ?)")
        args += [f"{place}%", place]
    return (" AND ".join(clauses) or "1"), tuple(args)


def column_keys(query: Query, measure: Measure) -> tuple[tuple[str, ...], str]:
    """The columns to read (summed when several) and their label."""
    if measure.table == "三":
        column = query.column or "total"
        if column == "legal_persons":
            return LEGAL_PERSON_COLUMNS, _T3_LABELS[column]
        if "+" in column:  # several applicant columns asked together: summed
            keys = tuple(dict.fromkeys(k for part in column.split("+")
                                       for k in (LEGAL_PERSON_COLUMNS if part == "legal_persons" else (part,))))
            return keys, "、".join(_T3_LABELS[part] for part in column.split("+")) + "合计"
        return (column,), _T3_LABELS[column]
    if measure.table == "四":
        if query.column and all(part in _T4_LABELS for part in query.column.split("+")):
            keys = tuple(query.column.split("+"))
            return keys, "、".join(_T4_LABELS[k] for k in keys) + ("合计" if len(keys) > 1 else "")
        column = next((key for pattern, key in _T4_WORDS if re.search(pattern, query.text)), "total")
        return (column,), _T4_LABELS[column]
    return (measure.column or "", *_T2_EQUIVALENT.get(measure.column or "", ())), ""


def read_measure(tables: Tables, report: ReportRef, measure: Measure, query: Query) -> Reading:
    return read_measures(tables, [report], measure, query)[0]


def read_measures(tables: Tables, reports: list[ReportRef], measure: Measure, query: Query) -> list[Reading]:
    """What the measure reads in each report, with one query for all of them."""
    columns, column_label = column_keys(query, measure)
    row_sets = (measure.rows,) + measure.alternatives
    every_row = tuple(dict.fromkeys(row for rows in row_sets for row in rows))
    found = tables.cells_of([r.id for r in reports], measure.table, every_row)
    return [_reading(report, measure, found.get(report.id, []), row_sets, columns, column_label) for report in reports]


def _in_rows(cell: Cell, rows: tuple[str, ...]) -> bool:
    return cell.row_key in rows or cell.row_key.split("/", 1)[0] in rows


def _reading(report: ReportRef, measure: Measure, found: list[Cell], row_sets, columns, column_label) -> Reading:
    cells: list[Cell] = []
    for rows in row_sets:  # the first set of rows the report has every one of: a sum short of a part is no sum
        cells = [c for c in found if _in_rows(c, rows) and c.col_key in columns
                 and not (c.status == "blank" and c.warning == NO_SUCH_ROW)]
        if measure.table == "二" and cells:  # equivalent columns of two formats: the first the report has
            first = next(column for column in columns if any(c.col_key == column for c in cells))
            cells = [c for c in cells if c.col_key == first]
        if cells and all(any(_in_rows(c, (row,)) for c in cells) for row in rows):
            break
        cells = []
    if measure.table == "二" and cells:
        column_label = cells[0].col_label
    if not cells:
        return Reading(report, measure, None, None, "missing", (), column_label)
    unknown = [c for c in cells if c.status == "unknown"]
    if unknown:
        return Reading(report, measure, None, None, "unknown", tuple(cells), column_label, why=unknown[0].warning)
    stated = [c for c in cells if c.value is not None]
    if not stated:
        if measure.table == "三" and columns == ("total",) and len(rows) == 1 \
                and (parts := _stated_columns(found, rows)):
            return Reading(report, measure, sum(c.value for c in parts), measure.unit, "ok", tuple(parts),
                           column_label, from_columns=True)
        return Reading(report, measure, None, None, "blank", tuple(cells), column_label)
    units = {c.unit for c in stated}
    unit = units.pop() if len(units) == 1 and None not in units else measure.unit
    value = sum(c.value for c in stated)
    return Reading(report, measure, value, unit, "ok", tuple(cells), column_label, blanks=len(cells) - len(stated))


def _stated_columns(found: list[Cell], rows: tuple[str, ...]) -> list[Cell] | None:
    """The six applicant-column cells of the rows when every one is stated: the template's 总计 is their sum."""
    parts = [c for c in found if _in_rows(c, rows) and c.col_key in _APPLICANT_COLUMNS]
    if len(parts) != len(_APPLICANT_COLUMNS) * len({c.row_key for c in parts}) or not parts \
            or any(c.status != "ok" or c.value is None for c in parts):
        return None
    return parts


def shown(value: float | None, unit: str | None, money: bool = False) -> str:
    """A value with its unit, as Chinese writes it (18件, 245万元); money whose unit the report does not state
    says so."""
    if value is None:
        return "未填"
    if unit:
        return f"{fmt_number(value)}{unit}"
    return f"{fmt_number(value)}（{W.UNIT_UNSTATED}）" if money else fmt_number(value)


def is_money(measure: Measure) -> bool:
    """A money column (采购总金额, 收费金额): its unit comes from the report, and may be unstated."""
    return measure.table == "二" and measure.rows[0] in ("procurement", "fees") and measure.unit is None


def describe_value(tables: Tables, reading: Reading, query: Query) -> tuple[str, list[str], list[Citation]]:
    """Answer text, warnings and citations for one reading: what was counted, in the reader's words, the number,
    and the cell it was read from (``index.phrasing``)."""
    report, measure = reading.report, reading.measure
    columns, _ = column_keys(query, measure)
    named = subject(measure, columns, reading.column_label if measure.table == "二" else "")
    fields = dict(body=report.body, year=report.year, subject=named, label=measure.label)
    warnings: list[str] = []
    rows = list(dict.fromkeys((c.row_key, c.row_label) for c in reading.cells))
    single = len(rows) == 1 and len({c.col_key for c in reading.cells}) == 1
    source = f"（{where(measure.table, *rows[0], reading.cells[0].col_label)}）" if single else ""
    if reading.status == "missing":
        state = report.table_state(measure.table)
        template = {"missing": W.VALUE_TABLE_MISSING, "incomplete": W.VALUE_TABLE_CUT}.get(state, W.VALUE_MISSING_ROW)
        return template.format(table=measure.table, **fields), warnings, []
    if reading.status == "blank":
        text = W.VALUE_BLANK.format(source=source, **fields)
    elif reading.status == "unknown":
        text = W.VALUE_UNKNOWN.format(why=(reading.why or "").rstrip("。"), source=source, **fields)
    elif reading.from_columns:
        text = W.VALUE_FROM_COLUMNS.format(value=shown(reading.value, reading.unit),
                                           source=f"（{where(measure.table, *rows[0], None)}）", **fields)
    else:
        text = W.VALUE.format(value=shown(reading.value, reading.unit, is_money(measure)), source=source, **fields)
        if len(reading.cells) > 1:  # the parts, in the template's order
            several_rows = len(rows) > 1
            ordered = sorted(reading.cells, key=lambda c: (template_order(c.row_key), _COLUMN_ORDER.get(c.col_key, 9)))
            in_group = len({c.row_key.split(".")[0] for c in ordered}) == 1 and "." in ordered[0].row_key
            parts = "、".join(f"{short_row(c.row_key, c.row_label, in_group) if several_rows else c.col_label}"
                             f"{shown(c.value, reading.unit)}" for c in ordered)
            text = text.rstrip("。") + W.SUM_NOTE.format(n=len(reading.cells), parts=parts)
        if reading.blanks:
            text += W.BLANK_PARTS.format(n=reading.blanks)
    if measure.table == "二" and reading.cells and measure.column and reading.cells[0].col_key != measure.column:
        text += W.OTHER_FORMAT_COLUMN.format(read=reading.column_label, asked=_asked_column(measure))
    if measure.rows == ("new_received",) and reading.status == "ok" and columns == ("total",):
        carried = [c for c in tables.cells(report.id, "三", ("carried_over",)) if c.col_key == "total"]
        if carried and carried[0].value:
            text += W.CARRIED_OVER.format(n=fmt_number(carried[0].value))
    warnings += [W.FINDING.format(message=message) for message in contradictions(tables, reading)]
    citations = [Citation(report.body, report.year, report.display_title, report.source,
                          f"表{measure.table} {row_display(*row)}", _row_text(tables, report, measure.table, row[0]))
                 for row in rows]
    return text, warnings, citations


RESULTS_TOTAL = Measure("三", ("total",), None, "三、本年度办理结果（七）总计", "件")


def whole_of(measure: Measure, query: Query) -> tuple[Measure, Query] | None:
    """What ``measure`` is a share of, as the template adds up: the whole the question names (the group of a
    reason: 不予公开中属于国家秘密的), else an outcome of the 办理结果 总计 in the same column, an applicant column
    of its own row's 总计 (自然人申请占比; 予以公开的申请中自然人占比), a result of table 四 of its group's 总计;
    None where the template has no whole (table 二, 本年新收 in all)."""
    columns, _ = column_keys(query, measure)
    if query.share_whole is not None:
        return query.share_whole, query
    if measure.table == "三" and not set(measure.rows) & set(T3_FLOW_KEYS) and not query.share_of_row:
        return RESULTS_TOTAL, query
    if measure.table in ("三", "四") and columns != ("total",):
        return measure, replace(query, column="total", text="")
    return None


def describe_share(tables: Tables, report: ReportRef, query: Query) -> tuple[str, float | None, list[Citation],
                                                                           list[str]]:
    """The measure as a share of its whole (``whole_of``), computed from the cells and said to be computed, with
    the sentence of the text that states it where there is one. Text, the percentage (None when it cannot be
    computed), citations, warnings."""
    measure = query.measure
    if query.column and "+" in query.column and measure.table == "三":  # 自然人和法人占比: each one's share
        parts = [describe_share(tables, report, replace(query, column=column)) for column in query.column.split("+")]
        return ("".join(text for text, *_ in parts), None, [c for _, _, cited, _ in parts for c in cited],
                [w for *_, notes in parts for w in notes])
    columns, _ = column_keys(query, measure)
    found = whole_of(measure, query)
    if found is None:
        text, warnings, citations = describe_value(tables, read_measure(tables, report, measure, query), query)
        return W.SHARE_NO_WHOLE.format(value=text), None, citations, warnings
    whole_measure, whole_query = found
    part = read_measure(tables, report, measure, query)
    whole = read_measure(tables, report, whole_measure, whole_query)
    part_text, warnings, citations = describe_value(tables, part, query)
    whole_text, more, whole_citations = describe_value(tables, whole, whole_query)
    citations += [c for c in whole_citations if c not in citations]
    warnings += [w for w in more if w not in warnings]
    if part.status != "ok" or whole.status != "ok":
        return W.SHARE_UNKNOWN.format(part=part_text, whole=whole_text), None, citations, warnings
    if not whole.value:
        return W.SHARE_ZERO.format(whole=whole_text), None, citations, warnings
    warnings += [W.SHARE_READ.format(text=t) for r, t in ((part, part_text), (whole, whole_text))
                 if r.blanks or r.from_columns]  # how a number was read (blank parts, 总计 from the columns)
    percent = round(100 * part.value / whole.value, 2)
    whole_columns, _ = column_keys(whole_query, whole_measure)
    text = W.SHARE.format(body=report.body, year=report.year, part_subject=subject(measure, columns),
                          part=shown(part.value, part.unit), whole_subject=subject(whole_measure, whole_columns),
                          whole=shown(whole.value, whole.unit), percent=fmt_number(percent))
    named = words_for(measure.table, measure.rows, query.column if query.column != "total" else None)
    if stated := tables.percent_stated(report.id, percent, part.value, named):
        text += W.SHARE_STATED.format(sentence=stated)
    else:
        text += W.SHARE_COMPUTED.format(part_where=_where_of(part), whole_where=_where_of(whole))
    return text, percent, citations, warnings


def _where_of(reading: Reading) -> str:
    rows = list(dict.fromkeys((c.row_key, c.row_label) for c in reading.cells))
    columns = {c.col_label for c in reading.cells}
    if len(rows) == 1:
        if len(columns) == 1:
            return where(reading.measure.table, *rows[0], next(iter(columns)))
        return f"{where(reading.measure.table, *rows[0], None)}{len(columns)}列之和"
    return f"表{reading.measure.table}“{reading.measure.label}”{len(reading.cells)}格之和"


def contradictions(tables: Tables, reading: Reading) -> list[str]:
    """The findings (rules of the template the report's own numbers break) that the reading's cells take part in."""
    used = {f"{c.table}/{c.row_key}/{c.col_key}" for c in reading.cells}
    return [message for message, refs in tables.findings(reading.report.id) if used & set(refs)]


def _asked_column(measure: Measure) -> str:
    match = re.search(r"（([^）]*)）", measure.label)
    return match[1] if match else t2_column_name(measure.column or "")


def _row_text(tables: Tables, report: ReportRef, table: str, row_key: str) -> str:
    from ingest.report import row_passages  # the parser's modules: loaded only when a row's text is quoted

    passages = row_passages(tables.cells(report.id, table, (row_key,)))
    return next((p.text for p in passages), "")
