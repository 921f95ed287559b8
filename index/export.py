"""Exports: the stored cells of tables 二, 三 and 四 (or the consistency findings) as CSV, XLSX or JSON.

One row per cell, in the template's order (report by report: table, then row, then column), with the body, the
year, the template's keys and Chinese labels, the value, how it was read and the text it was read from. A blank or
unknown cell has no value (an empty cell, never 0); its reading says which. ``export_rows`` reads the store
read-only and takes a body as users write it (东柳 for 东柳街道), as ``python -m ingest check`` does; the writers
take what it returns and a path. CSV and XLSX carry Chinese headers, JSON the field names of the row objects.

The bot's ``/export`` can call ``write_files(export_rows(database, body, year), folder)`` off the event loop and
send the CSV and XLSX it returns.
"""
from __future__ import annotations

import csv
import json
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from pathlib import Path

from ingest.checks import row_display
from ingest.errors import NianbaoError
from ingest.model import NO_SUCH_ROW
from ingest.store import Store
from ingest.template import TABLE3, TABLE4, TableSpec, table2_spec

from .commands import check_scope
from .wording import W

__all__ = ["CellRow", "FindingRow", "Export", "ExportError", "FORMATS", "TABLES", "export_rows", "format_of",
           "table_of", "write", "write_csv", "write_xlsx", "write_json", "write_files"]

FORMATS = ("csv", "xlsx", "json")
TABLES = ("二", "三", "四")

# how a cell was read, from the store's status and how, in words (the code stays beside them for filtering)
READINGS = {
    "stated": "原文写明",
    "split": "推算：数字连写，只有一种拆分",
    "arithmetic": "推算：数字连写，按勾稽关系拆分",
    "repeats": "推算：还原原文省去的相邻相同数值",
    "derived": "推算",
    "blank": "空白（未填写）",
    "no_row": "空白（报告中没有这一行）",
    "unknown": "无法确定",
}
RULES = {
    "t3_row_sum": "表三每行：总计 = 自然人与五类法人或其他组织之和",
    "t3_balance": "表三每列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度",
    "t3_outcomes": "表三每列：（七）总计 = 各项办理结果之和",
    "t4_group_sum": "表四每组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
    "t3_across_years": "跨年：上年结转 = 上一年报告的结转下年度",
    "t2_in_force_across_years": "跨年：现行有效件数 = 上年现行有效 + 本年制发 − 本年废止",
}


class ExportError(NianbaoError):
    """Nothing to export as asked: no store, a body or year not held, a table or format not known."""


@dataclass(frozen=True)
class CellRow:
    """One stored cell, as exported. ``value`` is None for a blank or unknown cell (``how`` says which)."""

    body: str
    body_full: str
    year: int
    format: str  # the template's edition the report follows: 2019 | 2021
    table: str  # 二 / 三 / 四
    row_key: str
    row_label: str  # as the template names the row
    col_key: str
    col_label: str
    value: int | float | None
    unit: str | None
    reading: str  # READINGS[how]
    how: str  # stated | split | arithmetic | repeats | derived | blank | no_row | unknown
    note: str | None  # why a cell is unknown or was split, as the parser said
    raw: str  # the cell's text in the report
    title: str | None
    source: str


@dataclass(frozen=True)
class FindingRow:
    """One consistency finding (a template rule the report's numbers break), as exported."""

    body: str
    body_full: str
    year: int
    format: str
    rule: str
    rule_label: str
    message: str
    cells: str  # the cells it names, 表/row_key/col_key, joined by "；"
    cell_labels: str  # the same cells as the template names them
    title: str | None
    source: str


# field -> (header, widest column: Excel width units, a CJK character is two)
_HEADERS = {
    "body": ("机关", 16), "body_full": ("机关全称", 30), "year": ("年度", 6), "format": ("模板版本", 8),
    "table": ("表", 4), "row_key": ("行键", 28), "row_label": ("行", 40), "col_key": ("列键", 16),
    "col_label": ("列", 14), "value": ("数值", 12), "unit": ("单位", 6), "reading": ("读取方式", 30),
    "how": ("读取代码", 10), "note": ("说明", 40), "raw": ("原文", 30), "title": ("报告标题", 40),
    "source": ("来源文件", 30), "rule": ("规则", 22), "rule_label": ("规则说明", 40), "message": ("发现", 80),
    "cells": ("涉及单元格", 40), "cell_labels": ("涉及单元格（名称）", 60),
}


@dataclass(frozen=True)
class Export:
    """What ``export_rows`` read: the rows, and what they are (cells of ``tables``, or findings)."""

    rows: tuple[CellRow, ...] | tuple[FindingRow, ...]
    findings: bool
    tables: tuple[str, ...]  # the tables asked for: the XLSX has one sheet each
    name: str  # a file name stem naming the scope: 东柳街道_2020年_表三

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def kind(self) -> type:
        return FindingRow if self.findings else CellRow


def table_of(text: str) -> str:
    """二, 三 or 四 from what a user writes (三, 表三, 3)."""
    table = {"2": "二", "3": "三", "4": "四"}.get(text.strip().removeprefix("表"), text.strip().removeprefix("表"))
    if table not in TABLES:
        raise ExportError(f"没有“{text}”这张表；可选 二（主动公开）、三（依申请公开）、四（复议诉讼）。")
    return table


def format_of(path: Path, fmt: str | None = None) -> str:
    """``fmt`` when given, else the format ``path``'s suffix names."""
    fmt = (fmt or Path(path).suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ExportError(f"无法从文件名 {Path(path).name} 看出导出格式；请用 .csv、.xlsx 或 .json 结尾，"
                          "或加 --format csv|xlsx|json。")
    return fmt


def export_rows(store_path: Path, body: str | None = None, year: int | None = None, table: str | None = None,
                findings: bool = False) -> Export:
    """The cells (or with ``findings`` the consistency findings) of ``body`` (as users write it; None: every body)
    in ``year`` (None: every year), of one table or all. One report per body and year: the full report where an
    excerpt of it is held too. Raises ExportError (one line) for no store, or a body or year not held."""
    table = table_of(table) if table else None
    store_path = Path(store_path)
    if not store_path.exists():
        raise ExportError(f"还没有数据库 {store_path}；先运行 python -m ingest。")
    with Store(store_path, readonly=True) as store:
        held = store.reports()
        if not held:
            raise ExportError(W.NO_REPORTS)
        scope = check_scope(held, body.strip() if body and body.strip() else None, year)
        if scope.refusal:
            raise ExportError(scope.refusal)
        full = {(r["body"], r["year"]) for r in held if r["part"] == "full"}
        reports = [r for r in held if (scope.bodies is None or r["body"] in scope.bodies)
                   and (year is None or r["year"] == year)
                   and not (r["part"] == "excerpt" and (r["body"], r["year"]) in full)]
        read = _finding_rows if findings else _cell_rows
        rows = tuple(row for report in reports for row in read(store, report, table))
    tables = (table,) if table else TABLES
    return Export(rows, findings, tables, _name(scope.bodies, year, table, findings))


def _cell_rows(store: Store, report: dict, table: str | None) -> list[CellRow]:
    cells = store.conn.execute(
        "SELECT tbl, row_key, row_label, col_key, col_label, value, unit, raw, status, warning, how FROM cells"
        " WHERE report_id = ? AND (? IS NULL OR tbl = ?)", (report["id"], table, table)).fetchall()
    rows = []
    for tbl, row_key, row_label, col_key, col_label, value, unit, raw, status, warning, how in cells:
        place = _layout(tbl, report["format"]).get((row_key, col_key))
        code = _how(status, how, warning)
        rows.append((_order(tbl, place, row_key, col_key), CellRow(
            report["body"], report["body_full"], report["year"], report["format"], tbl, row_key,
            place[2] if place else row_label, col_key, place[3] if place else col_label,
            _number(value) if status == "ok" else None, unit or (place[4] if place else None), READINGS[code],
            code, None if warning == NO_SUCH_ROW else warning, raw or "", report["title"], report["source"])))
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def _finding_rows(store: Store, report: dict, table: str | None) -> list[FindingRow]:
    rows = []
    for rule, message, cells in store.conn.execute(
            "SELECT rule, message, cells FROM findings WHERE report_id = ? ORDER BY rowid", (report["id"],)):
        refs = json.loads(cells)
        if table and not any(ref.startswith(f"{table}/") for ref in refs):
            continue
        rows.append(FindingRow(report["body"], report["body_full"], report["year"], report["format"], rule,
                               RULES.get(rule, rule), message, "；".join(refs),
                               "；".join(_cell_label(ref, report["format"]) for ref in refs),
                               report["title"], report["source"]))
    return rows


def _how(status: str, how: str | None, warning: str | None) -> str:
    if status == "blank":
        return "no_row" if warning == NO_SUCH_ROW else "blank"
    if status != "ok":
        return "unknown"
    return how if how in READINGS and how not in ("blank", "no_row", "unknown") else "derived"


def _number(value: float | None) -> int | float | None:
    return int(value) if value is not None and float(value).is_integer() else value


def _spec(table: str, fmt: str) -> TableSpec:
    return {"二": table2_spec(fmt), "三": TABLE3, "四": TABLE4}[table]


@lru_cache(maxsize=16)
def _layout(table: str, fmt: str) -> dict[tuple[str, str], tuple[int, int, str, str, str | None]]:
    """(row key, column key) -> (row index, column index, row label, column label, unit) in the template."""
    if table not in TABLES:
        return {}
    return {(row.key, col.key): (i, j, row.label, col.label, col.unit)
            for i, row in enumerate(_spec(table, fmt).rows) for j, col in enumerate(row.columns)}


def _order(table: str, place, row_key: str, col_key: str) -> tuple:
    # a cell the template does not name (none today) goes after the template's, in key order
    rank = TABLES.index(table) if table in TABLES else len(TABLES)
    return (rank, place[0], place[1], "", "") if place else (rank, 1 << 20, 0, row_key, col_key)


def _cell_label(ref: str, fmt: str) -> str:
    """表三（四）1.本机关不掌握相关政府信息 / 自然人, for a finding's ``三/unavailable.not_held/natural_person``."""
    table, _, rest = ref.partition("/")
    row_key, _, col_key = rest.partition("/")
    place = _layout(table, fmt).get((row_key, col_key))
    return f"表{table}{row_display(row_key, place[2])} / {place[3]}" if place else ref


def _name(bodies: list[str] | None, year: int | None, table: str | None, findings: bool) -> str:
    who = "全部机关" if not bodies else bodies[0] if len(bodies) == 1 else f"{bodies[0]}等{len(bodies)}个机关"
    parts = [who, f"{year}年" if year else "", "勾稽发现" if findings else f"表{table}" if table else "表二三四"]
    return re.sub(r'[\\/:*?"<>|\s]+', "_", "_".join(p for p in parts if p))


# --- writers ---------------------------------------------------------------------------------------------------
def write(export: Export, path: Path, fmt: str | None = None) -> Path:
    """Write ``export`` to ``path`` in ``fmt`` (default: the suffix's format); the file appears whole or not at
    all (written beside it, then renamed)."""
    writer = {"csv": write_csv, "xlsx": write_xlsx, "json": write_json}[format_of(path, fmt)]
    if Path(path).is_dir():
        raise ExportError(f"{path} 是一个文件夹；请写出文件名，例如 {Path(path) / ('导出.' + format_of(path, fmt))}。")
    return writer(export, path)


def write_files(export: Export, folder: Path, formats: Sequence[str] = ("csv", "xlsx")) -> list[Path]:
    """One file per format in ``folder``, named after the scope (东柳街道_2020年_表二三四.csv, …)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [write(export, folder / f"{export.name}.{fmt}", fmt) for fmt in formats]


def write_csv(export: Export, path: Path) -> Path:
    """UTF-8 with a byte-order mark, so Excel reads the Chinese right; Chinese headers."""
    names = [f.name for f in fields(export.kind)]
    with _replacing(path) as part, open(part, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([_HEADERS[name][0] for name in names])
        for row in export.rows:
            writer.writerow(["" if v is None else _csv_text(v) if isinstance(v, str) else v
                             for v in (getattr(row, name) for name in names)])
    return Path(path)


def write_json(export: Export, path: Path) -> Path:
    """A list of objects keyed by the row's field names; a blank or unknown cell's value is null."""
    with _replacing(path) as part:
        Path(part).write_text(json.dumps([asdict(row) for row in export.rows], ensure_ascii=False, indent=1) + "\n",
                              encoding="utf-8")
    return Path(path)


def write_xlsx(export: Export, path: Path) -> Path:
    """One sheet per table asked for (表二, 表三, 表四), or one of findings (勾稽发现): a bold, frozen header with a
    filter, widths to fit, numbers as numbers and blank or unknown cells empty."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    names = [f.name for f in fields(export.kind)]
    sheets = ({"勾稽发现": list(export.rows)} if export.findings else
              {f"表{t}": [row for row in export.rows if row.table == t] for t in export.tables})
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        sheet.freeze_panes = "A2"
        for i, name in enumerate(names, 1):
            sheet.column_dimensions[get_column_letter(i)].width = _width(name, rows)
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(names))}{len(rows) + 1}"
        header = []
        for name in names:
            cell = WriteOnlyCell(sheet, value=_HEADERS[name][0])
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append([_xlsx_cell(sheet, getattr(row, name), WriteOnlyCell) for name in names])
    with _replacing(path) as part:
        book.save(part)
    return Path(path)


def _xlsx_cell(sheet, value, make):
    if not isinstance(value, str):
        return value
    cell = make(sheet, value=value)
    cell.data_type = "s"  # text is text: a report's "=…" is not a formula
    return cell


def _csv_text(text: str) -> str:
    # a text Excel would run as a formula (=, +, @, or - before a non-number) is kept as text
    return "'" + text if re.match(r"[=+@\t\r]|-(?![\d.\s]*$)", text) else text


def _width(name: str, rows: Sequence) -> float:
    """A column's width to fit the header and the first thousand values (a CJK character counts two), capped."""
    header, widest = _HEADERS[name]
    seen = [_shown(header)] + [_shown(str(v)) for row in rows[:1000] if (v := getattr(row, name)) is not None]
    return max(6, min(max(seen), widest)) + 2


def _shown(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class _replacing:
    """A part file beside ``path``, renamed over it on success and removed on failure."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.part = self.path.with_name(f".{self.path.name}.part")

    def __enter__(self) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return self.part

    def __exit__(self, kind, error, trace) -> None:
        try:
            if kind is None:
                os.replace(self.part, self.path)
        finally:
            self.part.unlink(missing_ok=True)  # gone after a rename; after a failure, not left behind
