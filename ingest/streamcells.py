"""Cells of tables 二, 三 and 四 from the rows found in a character stream (``ingest.align``).

Each row's numbers are split into its cells by :mod:`ingest.solve` with the template's rules: table 三's row total
and column balances, table 四's group totals; table 二 has no rule, so a run of digits there is read only when
exactly one split exists. Rows the stream does not hold are absent (not blank) when the table is cut off.
"""
from __future__ import annotations

from dataclasses import replace

from .align import StreamTable
from .model import NO_SUCH_ROW, Cell, Paragraph
from .solve import Equation, RowSolution, solve
from .stream import signed_cells
from .template import T4_GROUPS, TABLE3, TABLE4, Row, outcome_keys, table2_spec
from .values import parse_value, row_check_t3, row_check_t4

__all__ = ["stream_cells", "collapses_repeats", "COMPLETE", "INCOMPLETE", "MISSING"]

COMPLETE, INCOMPLETE, MISSING = "complete", "incomplete", "missing"


def collapses_repeats(blocks) -> bool:
    """True for a one-cell-per-line text in which no line ever equals the line before it, although its tables are
    full of equal neighbouring cells: the converter dropped repeated lines (``0 0 0 0 0 0 0`` became ``0``)."""
    lines = [b.text.strip() for b in blocks if isinstance(b, Paragraph) and b.text.strip()]
    numbers = sum(1 for line in lines if parse_value(line).status == "ok" and line[:1].isdigit() or line[:1] in "+-")
    repeats = sum(1 for a, b in zip(lines, lines[1:]) if a == b)
    return numbers >= 20 and repeats == 0


def _cells(table: str, row: Row, solution: RowSolution, raw: str) -> list[Cell]:
    how = {"separated": "stated", "split": "split", "arithmetic": "arithmetic", "columns": "arithmetic",
           "repeats": "repeats"}.get(solution.how, "unknown")
    cells = []
    for i, column in enumerate(row.columns):
        if solution.cells is not None:
            value = parse_value(solution.cells[i])
            unit = value.unit or column.unit
            cells.append(Cell(table, row.key, row.label, column.key, column.label, value.value, unit,
                              solution.cells[i], value.status, solution.note, how if value.status == "ok" else value.status))
        elif solution.how == "total_only" and i == len(row.columns) - 1:
            value = parse_value(solution.total or "")
            cells.append(Cell(table, row.key, row.label, column.key, column.label, value.value, value.unit,
                              solution.total or "", "ok", solution.note, "stated"))
        else:
            cells.append(Cell(table, row.key, row.label, column.key, column.label, None, None, raw, "unknown",
                              solution.note, "unknown"))
    return cells


def blank_row(table: str, row: Row, why: str = NO_SUCH_ROW) -> list[Cell]:
    """Every cell of a template row blank (not 0), with why: a row the report does not have (NO_SUCH_ROW), or
    prints with no numbers (UNFILLED_ROW)."""
    return [Cell(table, row.key, row.label, c.key, c.label, None, None, "", "blank", why, "blank")
            for c in row.columns]


UNFILLED_ROW = "报告中这一行没有填写数值"


def _table3(t: StreamTable, fmt: str, collapsed: bool) -> tuple[list[Cell], str]:
    sub_rows = any(k.startswith("other.") for k in t.found)
    use_other_row = "other" in t.rows and not sub_rows
    expected = [r for r in TABLE3.rows if (r.key == "other") == use_other_row or not r.key.startswith("other")]
    if fmt == "2019" and not sub_rows:
        expected = [r for r in TABLE3.rows if not r.key.startswith("other.")]
    rows = {r.key: t.rows[r.key] for r in expected if r.key in t.rows}
    outcomes = outcome_keys(rows)
    equations: list[Equation] = []
    for column in range(7):
        equations.append((("new_received", "carried_over"), ("total", "carried_forward"), column))
        equations.append((("total",), tuple(outcomes), column))
    solved = solve(rows, 7, row_check_t3, equations, collapsed)
    keys = [r.key for r in expected]
    found = [k for k in keys if k in t.found]
    cut = bool(found) and (keys.index(found[0]) > 1 or keys.index(found[-1]) < len(keys) - 2)
    cells: list[Cell] = []
    for row in expected:
        if row.key in solved:
            cells.extend(_cells("三", row, solved[row.key], t.raw.get(row.key, "")))
        elif row.key in t.found:
            cells.extend(blank_row("三", row, UNFILLED_ROW))
        elif not cut or keys.index(found[0]) <= keys.index(row.key) <= keys.index(found[-1]):
            cells.extend(blank_row("三", row))  # a row the report leaves out; past a cut, rows are not in the report
    return cells, INCOMPLETE if cut else COMPLETE


def _table2(t: StreamTable, fmt: str, collapsed: bool) -> tuple[list[Cell], str]:
    spec = table2_spec(fmt)
    cells: list[Cell] = []
    keys = [r.key for r in spec.rows]
    found = [k for k in keys if k in t.found]
    cut = bool(found) and keys.index(found[0]) >= 2
    for row in spec.rows:
        if row.key in t.rows:
            solved = solve({row.key: t.rows[row.key]}, len(row.columns), None, (), collapsed)[row.key]
            cells.extend(_cells("二", row, solved, t.raw.get(row.key, "")))
        elif row.key in t.found:
            cells.extend(blank_row("二", row, UNFILLED_ROW))
        elif not cut or keys.index(row.key) > keys.index(found[0]):
            cells.extend(blank_row("二", row))
    return cells, INCOMPLETE if cut else COMPLETE


def _table4(t: StreamTable, collapsed: bool) -> list[Cell]:
    solved = solve({"all": t.rows["all"]}, 15, row_check_t4, (), collapsed)["all"]
    cells: list[Cell] = []
    for g, (key, _) in enumerate(T4_GROUPS):
        row = TABLE4.row(key)
        part = RowSolution(solved.cells[g * 5:(g + 1) * 5] if solved.cells else None, solved.how, solved.note)
        cells.extend(_cells("四", row, part, t.raw["all"]))
    return cells


def stream_cells(tables: dict[str, StreamTable], fmt: str, collapsed: bool) -> tuple[dict[str, list[Cell]],
                                                                                     dict[str, str]]:
    """Cells per table, and each table's completeness (complete / incomplete / missing). In a one-cell-per-line
    text (``collapsed``) every number is a whole cell: a line is never cut into several."""
    if collapsed:
        tables = {n: replace(t, rows={k: tuple("=" + piece for x in v for piece in signed_cells(x.lstrip("=")))
                                      for k, v in t.rows.items()})
                  for n, t in tables.items()}
    cells: dict[str, list[Cell]] = {}
    status: dict[str, str] = {"二": MISSING, "三": MISSING, "四": MISSING}
    if "二" in tables:
        cells["二"], status["二"] = _table2(tables["二"], fmt, collapsed)
    if "三" in tables:
        cells["三"], status["三"] = _table3(tables["三"], fmt, collapsed)
    if "四" in tables:
        cells["四"], status["四"] = _table4(tables["四"], collapsed), COMPLETE
    return cells, status

