"""Consistency checks (勾稽关系) from the template. A finding describes the source; nothing is corrected.

In the sums a blank cell counts as empty (0); a cell stored as unknown makes its check inconclusive, so it is
skipped rather than guessed. A check whose cells are all blank says nothing and is skipped too.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import Cell, Finding
from .template import T3_COLUMNS, T4_COLUMNS, T4_GROUPS, TABLE3, outcome_keys

__all__ = ["ACROSS_YEARS_ROWS", "check_report", "evaluate_rules", "check_across_years", "row_display", "fmt_number"]

_GROUP_NUMBER = {"withheld": "（三）", "unavailable": "（四）", "not_processed": "（五）", "other": "（六）"}


def fmt_number(value: float | None) -> str:
    if value is None:
        return "未填"
    return str(int(value)) if float(value).is_integer() else f"{value:.10g}"


def row_display(row_key: str, row_label: str) -> str:
    """A row's label as people cite it: 一、本年新收政府信息公开申请数量, （四）1.本机关不掌握相关政府信息."""
    group = row_key.split(".", 1)[0]
    if "." in row_key and group in _GROUP_NUMBER:
        return _GROUP_NUMBER[group] + row_label.split(" ", 1)[-1]
    return row_label


class _Grid:
    def __init__(self, cells: Iterable[Cell]):
        self.cells = {(c.table, c.row_key, c.col_key): c for c in cells}
        self.rows = {(c.table, c.row_key) for c in self.cells.values()}
        stated_rows = {(c.table, c.row_key) for c in self.cells.values() if c.value is not None}
        # A blank 总计 in a row whose other cells are filled is "not stated", not an empty (0) cell.
        self.unstated = {key for key, c in self.cells.items()
                         if c.col_key == "total" and c.value is None and (c.table, c.row_key) in stated_rows}

    def get(self, table: str, row: str, col: str) -> Cell | None:
        return self.cells.get((table, row, col))

    def has_row(self, table: str, row: str) -> bool:
        return (table, row) in self.rows


def _sum(cells: Sequence[Cell | None], unstated: set = frozenset()) -> float | None:
    """Sum with blank as 0; None when a cell is unknown or not stated, or every cell is blank or missing."""
    total, stated = 0.0, False
    for c in cells:
        if c is None:
            continue
        if c.status == "unknown" or (unstated and (c.table, c.row_key, c.col_key) in unstated):
            return None
        if c.value is not None:
            total += c.value
            stated = True
    return total if stated else None


def _ref(c: Cell | None) -> str:
    return f"{c.table}/{c.row_key}/{c.col_key}" if c else ""


def check_report(body: str, year: int, cells: Sequence[Cell]) -> list[Finding]:
    """The template's rules that the cells break (each a finding naming the cells)."""
    return evaluate_rules(body, year, cells)[0]


def evaluate_rules(body: str, year: int, cells: Sequence[Cell]) -> tuple[list[Finding], int]:
    """The rules broken, and how many rules could be checked at all (every cell they need known)."""
    grid = _Grid(cells)
    findings: list[Finding] = []
    prefix = f"{body} {year} "
    checked = 0

    def compare(rule: str, left: float | None, right: float | None, message: str, involved) -> None:
        nonlocal checked
        checked += left is not None and right is not None
        if left is not None and right is not None and abs(left - right) > 1e-6:
            refs = tuple(_ref(c) for c in involved if c is not None)
            findings.append(Finding(rule, prefix + message.format(l=fmt_number(left), r=fmt_number(right)), refs))

    # 总计 column = 自然人 + the five 法人或其他组织 columns, on every row of table 三
    t3_rows = [row for row in TABLE3.rows if grid.has_row("三", row.key)]
    for row in t3_rows:
        parts = [grid.get("三", row.key, c.key) for c in T3_COLUMNS[:6]]
        total = grid.get("三", row.key, "total")
        if total is None or total.value is None or total.status == "unknown":
            continue
        compare("t3_row_sum", total.value, _sum(parts),
                f"表三{row_display(row.key, row.label)}：总计 {{l}} ≠ 各列之和 {{r}}", parts + [total])
    # per column: 一 + 二 = （七）总计 + 四, and （七）总计 = the sum of the outcome rows
    outcomes_of_total = outcome_keys(r.key for r in t3_rows)
    for column in T3_COLUMNS:
        get = lambda key: grid.get("三", key, column.key)  # noqa: E731
        inflow = [get("new_received"), get("carried_over")]
        outflow = [get("total"), get("carried_forward")]
        compare("t3_balance", _sum(inflow, grid.unstated), _sum(outflow, grid.unstated),
                f"表三（{column.label}列）：本年新收 + 上年结转 = {{l}} ≠ 办理结果总计 + 结转下年度 = {{r}}",
                inflow + outflow)
        outcomes = [get(k) for k in outcomes_of_total]
        compare("t3_outcomes", _sum([get("total")], grid.unstated), _sum(outcomes, grid.unstated),
                f"表三（{column.label}列）：（七）总计 {{l}} ≠ 各项办理结果之和 {{r}}", outcomes + [get("total")])
    # table 四: in each group, 总计 = the other four
    for key, name in T4_GROUPS:
        parts = [grid.get("四", key, c.key) for c in T4_COLUMNS[:4]]
        total = grid.get("四", key, "total")
        if total is not None and total.value is not None and total.status != "unknown":
            compare("t4_group_sum", total.value, _sum(parts), f"表四{name}：总计 {{l}} ≠ 各项之和 {{r}}", parts + [total])
    return findings, checked


ACROSS_YEARS_ROWS = (("三", "carried_over"), ("三", "carried_forward"), ("二", "regulations"),
                     ("二", "normative_documents"))  # the only rows ``check_across_years`` reads


def check_across_years(body: str, year: int, cells: Sequence[Cell], previous: Sequence[Cell]) -> list[Finding]:
    """Year N against year N−1 of the same body: 上年结转 = last year's 结转下年度; 现行有效件数 carried forward.
    Cells of rows other than ``ACROSS_YEARS_ROWS`` may be given; they are not read."""
    grid, before = _Grid(cells), _Grid(previous)
    findings: list[Finding] = []
    carried = grid.get("三", "carried_over", "total")
    forward = before.get("三", "carried_forward", "total")
    if carried and forward and carried.value is not None and forward.value is not None \
            and abs(carried.value - forward.value) > 1e-6:
        findings.append(Finding("t3_across_years", f"{body} {year} 表三 二、上年结转 {fmt_number(carried.value)} ≠ "
                                f"{year - 1} 年报告的 四、结转下年度继续办理 {fmt_number(forward.value)}",
                                (_ref(carried),)))
    for row_key, label in (("regulations", "规章"), ("normative_documents", "行政规范性文件")):
        now, issued, repealed = (grid.get("二", row_key, c) for c in ("in_force", "issued", "repealed"))
        last = before.get("二", row_key, "in_force")
        if all(c is not None and c.value is not None for c in (now, issued, repealed, last)):
            expected = last.value + issued.value - repealed.value
            if abs(expected - now.value) > 1e-6:
                findings.append(Finding("t2_in_force_across_years",
                                        f"{body} {year} 表二{label}：现行有效件数 {fmt_number(now.value)} ≠ 上年 "
                                        f"{fmt_number(last.value)} + 本年制发 {fmt_number(issued.value)} − 本年废止 "
                                        f"{fmt_number(repealed.value)} = {fmt_number(expected)}", (_ref(now),)))
    return findings
