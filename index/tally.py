"""What one measure reads in many reports, with one SQL query: the numbers an aggregate needs, per report.

``numeric.read_measures`` reads a report's cells into Python and decides there what the measure reads (the first
set of rows the report has every one of, table 二's first equivalent column it has, blank, unknown or stated, the
sum and its unit). Over thousands of reports that is thousands of cells made into objects for a few numbers each.
:func:`tally` asks SQLite the same questions, grouped by report, through the covering index ``cells_by_row``: one
row per report comes back (its status, value, unit and the column read), and no cell is made into an object.

The rules are those of ``numeric._reading``, which stays the reference: where SQL could not give the same number
bit for bit (a 总计 left blank that its six applicant columns may make up, several fractional cells whose float sum
depends on the order of adding) the report is read by ``read_measures`` instead. The cells themselves (for the
citations, the findings they take part in, the column's label) are read afterwards, for the few reports an answer
shows: :func:`in_full`, :func:`column_labels`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from ingest.model import NO_SUCH_ROW

from .model import Measure, Query, ReportRef
from .numeric import Reading, Tables, column_keys, read_measures

__all__ = ["Tally", "column_labels", "in_full", "tally"]


@dataclass(frozen=True, slots=True)
class Tally:
    """What a measure reads in one report, without its cells (``in_full`` reads them)."""

    report: ReportRef
    status: str  # ok | blank | unknown | missing, as Reading.status
    value: float | None
    unit: str | None
    column: str | None = None  # table 二: the column read (the first of the equivalent columns the report has)
    row: str | None = None  # table 二: the first row read, whose cell in ``column`` names the column (its label)


def tally(tables: Tables, reports: list[ReportRef], measure: Measure, query: Query) -> list[Tally]:
    """What ``measure`` reads in each of ``reports`` (in their order), as ``read_measures`` reads it."""
    if not reports:
        return []
    columns, _ = column_keys(query, measure)
    candidates = _candidates(measure, columns)
    every_row = tuple(dict.fromkeys(row for rows, _ in candidates for row in rows))
    by_row = tables.has_index("cells_by_row")
    sub_rows = not by_row or _has_sub_rows(tables, measure.table, every_row)
    sql = _tally_sql(measure, candidates, columns, sub_rows, by_row, tables.has_index("cells_absent"))
    ids = json.dumps(sorted({r.id for r in reports}))  # in the index's order: its pages are read one after another
    found = {row[0]: row for row in tables.conn.execute(sql, (ids,))}
    again = [r for r in reports if (row := found.get(r.id)) is not None and row[-1]]
    exact = {r.report.id: _from_reading(r) for r in read_measures(tables, again, measure, query)} if again else {}
    out = []
    for report in reports:
        row = found.get(report.id)
        if row is None:  # no cell of the rows asked: as read_measures, missing
            out.append(Tally(report, "missing", None, None))
        elif row[-1]:
            out.append(exact[report.id])
        else:
            out.append(Tally(report, row[1], row[2], row[3], row[4], row[5]))
    return out


def _has_sub_rows(tables: Tables, table: str, rows: tuple[str, ...]) -> bool:
    """Whether any report holds a sub-row (other_services/行政检查) of one of ``rows`` (by the index's key)."""
    ranges = " OR ".join("(row_key >= ? AND row_key < ?)" for _ in rows)
    return tables.conn.execute(
        f"SELECT EXISTS (SELECT 1 FROM cells INDEXED BY cells_by_row WHERE tbl = ? AND ({ranges}))",
        (table, *(bound for row in rows for bound in (row + "/", row + "0")))).fetchone()[0] == 1


def in_full(tables: Tables, tallies: list[Tally], measure: Measure, query: Query) -> list[Reading]:
    """The full readings (with their cells) of ``tallies``, in their order: for the few an answer cites."""
    return read_measures(tables, [t.report for t in tallies], measure, query)


def column_labels(tables: Tables, tallies: list[Tally], table: str) -> list[str]:
    """The label of the column each table-二 tally read, as its report prints it (Reading.column_label)."""
    keys = json.dumps([[t.report.id, t.row, t.column] for t in tallies])
    labels = {(rid, row, col): label for rid, row, col, label in tables.conn.execute(
        "SELECT c.report_id, c.row_key, c.col_key, c.col_label FROM json_each(?) k CROSS JOIN cells c"
        " ON c.report_id = json_extract(k.value, '$[0]') AND c.tbl = ? AND c.row_key = json_extract(k.value, '$[1]')"
        " AND c.col_key = json_extract(k.value, '$[2]')", (keys, table))}
    return [labels.get((t.report.id, t.row, t.column), "") for t in tallies]


def _from_reading(reading: Reading) -> Tally:
    first = reading.cells[0] if reading.cells else None
    table2 = reading.measure.table == "二" and first is not None
    return Tally(reading.report, reading.status, reading.value, reading.unit,
                 first.col_key if table2 else None, first.row_key if table2 else None)


# --- the query ----------------------------------------------------------------------------------------------------
# A candidate is one set of rows (the measure's, then its alternatives) and, in table 二, one of the equivalent
# columns (None: the columns asked, summed): read_measures tries them in this order.
Candidate = tuple[tuple[str, ...], str | None]


def _candidates(measure: Measure, columns: tuple[str, ...]) -> list[Candidate]:
    row_sets = (measure.rows,) + measure.alternatives
    return [(rows, column) for rows in row_sets for column in (columns if measure.table == "二" else (None,))]


def _q(text: str | None) -> str:
    """An SQL literal: the keys and units here are the template's, never the question's words."""
    return "NULL" if text is None else "'" + text.replace("'", "''") + "'"


def _in(values) -> str:
    return "(" + ", ".join(_q(v) for v in values) + ")"


def _cells_sql(table: str, rows: tuple[str, ...], columns: tuple[str, ...], sub_rows: bool, by_row: bool,
               absent: bool) -> str:
    """The cells of ``rows`` in ``columns`` of the reports in scope (the JSON array ``?1``), without the cells of a
    row the report does not have (blank, NO_SUCH_ROW): id, row_key, top (its template row), col, value, status,
    unit. With ``sub_rows`` a row's sub-rows (other_services/行政检查) come with it.

    The rows asked are looked up report by report in the covering index (tbl, row_key, col_key, report_id); the
    sub-rows, which few reports have, are found by a range of that index and kept when their report is in scope."""
    index = " INDEXED BY cells_by_row" if by_row else ""
    # a cell the report's text does not have a row for; a partial index holds just those
    gone = (f"c.status = 'blank' AND EXISTS (SELECT 1 FROM cells a{' INDEXED BY cells_absent' if absent else ''}"
            " WHERE a.tbl = c.tbl AND a.row_key = c.row_key AND a.col_key = c.col_key AND a.report_id = c.report_id"
            f" AND a.status = 'blank' AND a.warning = {_q(NO_SUCH_ROW)})")
    top = "CASE WHEN instr(c.row_key, '/') > 0 THEN substr(c.row_key, 1, instr(c.row_key, '/') - 1) ELSE c.row_key END"
    if not sub_rows and not any("/" in row for row in rows):
        top = "c.row_key"  # every cell found is of a row asked, which is a template row
    fields = f"c.report_id AS id, c.row_key AS row_key, {top} AS top, c.col_key AS col, c.value AS value," \
             " c.status AS status, c.unit AS unit"
    asked = (f"SELECT {fields} FROM json_each(?1) s CROSS JOIN cells c{index} ON c.tbl = {_q(table)}"
             f" AND c.row_key IN {_in(rows)} AND c.col_key IN {_in(columns)} AND c.report_id = s.value"
             f" WHERE NOT ({gone})")
    if not sub_rows:
        return asked
    # 'x/' <= key < 'x0' is every key that starts with 'x/' ('0' follows '/'), as LIKE 'x/%' but by the index
    ranges = " OR ".join(f"(c.row_key >= {_q(row + '/')} AND c.row_key < {_q(row + '0')})" for row in rows)
    parts = (f"SELECT {fields} FROM cells c{index} WHERE c.tbl = {_q(table)} AND ({ranges})"
             f" AND c.row_key NOT IN {_in(rows)} AND c.col_key IN {_in(columns)}"
             f" AND c.report_id IN (SELECT value FROM json_each(?1)) AND NOT ({gone})")
    return f"{asked} UNION ALL {parts}"


def _tally_sql(measure: Measure, candidates: list[Candidate], columns: tuple[str, ...], sub_rows: bool,
               by_row: bool, absent: bool) -> str:
    """One row per report with a cell of the rows asked: id, status, value, unit (NULL unless stated), column read,
    first row read (table 二), and whether ``read_measures`` must read it instead (see the module docstring)."""
    every_row = tuple(dict.fromkeys(row for rows, _ in candidates for row in rows))
    columns = tuple(dict.fromkeys(columns))
    cells = _cells_sql(measure.table, every_row, columns, sub_rows, by_row, absent)
    if len(candidates) == 1 and len(every_row) == 1 and len(columns) == 1 and not sub_rows:
        # one cell at most per report (a cell's key is its report, table, row and column): no grouping
        per = ["1 AS n0", "1 AS every0", "status = 'unknown' AS unknown0", "value IS NOT NULL AS stated0",
               "value AS total0", "unit IS NULL AS unitless0", "unit AS low0", "unit AS high0", "0 AS inexact0",
               f"{'row_key' if candidates[0][1] else 'NULL'} AS first0"]
        grouped = f"SELECT id, {', '.join(per)} FROM ({cells})"
    else:
        grouped = f"SELECT id, {', '.join(_aggregates(candidates, every_row))} FROM ({cells}) GROUP BY id"
    # the first candidate whose rows are all there; in table 二 a set of rows is tried in its first column only
    picks = []
    for m, (rows, column) in enumerate(candidates):
        before = [k for k, (other, _) in enumerate(candidates[:m]) if other == rows] if column else []
        picks.append(f"WHEN {' AND '.join([f'n{k} = 0' for k in before] + [f'n{m} > 0', f'every{m}'])} THEN {m}")
    pick = f"CASE {' '.join(picks)} ELSE -1 END"

    def chosen(name: str) -> str:
        return "CASE pick " + " ".join(f"WHEN {m} THEN {name}{m}" for m in range(len(candidates))) + " END"

    # 总计 left blank in a one-row measure of table 三: read_measures may sum the six applicant columns instead
    from_columns = [m for m, (rows, _) in enumerate(candidates)
                    if measure.table == "三" and columns == ("total",) and len(rows) == 1]
    status = (f"CASE WHEN pick < 0 THEN 'missing' WHEN {chosen('unknown')} > 0 THEN 'unknown'"
              f" WHEN {chosen('stated')} = 0 THEN 'blank' ELSE 'ok' END")
    # one unit, stated on every cell added: that unit; else the measure's
    unit = (f"CASE WHEN status != 'ok' THEN NULL WHEN {chosen('unitless')} = 0 AND {chosen('low')} = {chosen('high')}"
            f" THEN {chosen('low')} ELSE {_q(measure.unit)} END")
    again = (f"(status = 'blank' AND pick IN ({', '.join(map(str, from_columns)) or '-1'}))"
             f" OR (status = 'ok' AND {chosen('stated')} > 1 AND {chosen('inexact')} > 0)")
    column = "CASE pick " + " ".join(f"WHEN {m} THEN {_q(c)}" for m, (_, c) in enumerate(candidates)) + " END"
    value = f"CASE WHEN status = 'ok' THEN {chosen('total')} END"
    return (f"SELECT id, status, {value}, {unit}, {column}, {chosen('first')}, {again} FROM"
            f" (SELECT *, {status} AS status FROM (SELECT *, {pick} AS pick FROM ({grouped})))")


def _aggregates(candidates: list[Candidate], every_row: tuple[str, ...]) -> list[str]:
    """For each candidate, over its cells of a report: how many (n), whether every row has one (every), how many
    are unknown and stated, their sum, how many stated have no unit and the lowest and highest unit, how many are
    fractions (or too large for a float sum to be exact in any order), and the first row."""
    def when(condition: str | None, then: str) -> str:
        return then if condition is None else f"CASE WHEN {condition} THEN {then} END"

    def both(condition: str | None, more: str) -> str:
        return more if condition is None else f"{condition} AND {more}"

    out: list[str] = []
    for m, (rows, column) in enumerate(candidates):
        # the candidate's cells: all of them when it asks every row fetched, in any column fetched
        mine = None if set(rows) == set(every_row) and column is None else \
            f"(row_key IN {_in(rows)} OR top IN {_in(rows)})" + (f" AND col = {_q(column)}" if column else "")
        every = " AND ".join(f"MAX({when(both(mine, f'(row_key = {_q(row)} OR top = {_q(row)})'), '1')} IS NOT NULL)"
                             for row in rows) if len(rows) > 1 else "1"  # a one-row set has its row where n > 0
        stated = both(mine, "value IS NOT NULL")
        out += [f"COUNT({when(mine, '1')}) AS n{m}", f"{every} AS every{m}",
                f"COUNT({when(both(mine, 'status = ' + _q('unknown')), '1')}) AS unknown{m}",
                f"COUNT({when(mine, 'value')}) AS stated{m}", f"SUM({when(mine, 'value')}) AS total{m}",
                f"COUNT(CASE WHEN {stated} AND unit IS NULL THEN 1 END) AS unitless{m}",
                f"MIN(CASE WHEN {stated} THEN unit END) AS low{m}", f"MAX(CASE WHEN {stated} THEN unit END) AS high{m}",
                (f"COUNT(CASE WHEN {both(mine, '(value <> CAST(value AS INTEGER) OR abs(value) >= 1e12)')} THEN 1 END)"
                 f" AS inexact{m}"),
                f"MIN({when(mine, 'row_key')}) AS first{m}" if column else f"NULL AS first{m}"]
    return out
