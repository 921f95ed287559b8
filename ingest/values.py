"""Cell values: what a table cell says, and how a row's values are placed on the template's columns.

Blank is not zero: an empty cell, a dash or a slash is "not stated" (``None``), while 无 counts as 0 because it
says so. Where a row holds fewer or more values than columns (PDF rows that lost blank cells, cells run together
when text is copied from a web page), :func:`place_row` uses the template's arithmetic to recover the split where
exactly one split satisfies it, and otherwise marks the cells unknown with a warning.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .solve import splits, unplaced

__all__ = ["CellValue", "parse_value", "is_value_cell", "place_row", "candidate_splits", "row_check_t3", "row_check_t4",
           "row_check_t4_group"]

_ZERO_WORDS = {"无", "无。", "零", "没有"}
_DASHES = {"/", "／", "—", "——", "-", "－", "--", "\\", "、", "…", "...", "－－", "─", "/ ", "——。"}
_NUMBER = re.compile(
    r"^(?P<sign>[+\-－−＋]?)(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?\s*(?P<unit>万元|亿元|元|件|个|项|条|次|人次|篇|%)?"
    r"\s*(?P<note>[（(][^）)]*[）)]|[*＊※①②③④⑤⑥⑦⑧⑨⑩])?$"  # a note or a footnote mark after the number
)
_DIGIT_RUN = re.compile(r"^\d+$")
_SPACED_DIGITS = re.compile(r"[\d\s.,\-]+")


@dataclass(frozen=True)
class CellValue:
    value: float | None
    unit: str | None
    raw: str
    status: str = "ok"  # ok | blank | unknown
    warning: str | None = None
    how: str = "stated"  # see ingest.model.Cell.how


def _fold(text: str) -> str:
    return text.replace("\u3000", " ").replace("\xa0", " ").replace("，", ",").replace("．", ".").strip()


@functools.lru_cache(maxsize=8192)  # cells repeat across rows and reports: 0, 无, blanks, small numbers
def is_value_cell(text: str) -> bool:
    """True for a cell that holds a value or says there is none (blank, 无, a dash, a number with a unit)."""
    folded = _fold(text)
    if not folded or folded in _ZERO_WORDS or folded in _DASHES:
        return True
    if _NUMBER.match(folded):
        return True
    return bool(_SPACED_DIGITS.fullmatch(folded))  # digits with spaces: run-together cells


@functools.lru_cache(maxsize=8192)
def parse_value(text: str) -> CellValue:
    """One cell as written. A cell that is neither blank, a dash, 无 nor one number is ``unknown``."""
    raw = text.strip()
    folded = _fold(text)
    if not folded:
        return CellValue(None, None, raw, "blank")
    if folded in _DASHES:
        return CellValue(None, None, raw, "blank", None)
    if folded in _ZERO_WORDS:
        return CellValue(0.0, None, raw)
    match = _NUMBER.match(folded)
    if not match:
        return CellValue(None, None, raw, "unknown", f"单元格“{raw}”不是一个数值")
    number = float(match["num"].replace(",", "") + (match["frac"] or ""))
    if match["sign"] in ("-", "－", "−"):
        number = -number
    unit = match["unit"] if match["unit"] in ("万元", "亿元", "元") else None
    return CellValue(number, unit, raw)


# --- placing a row's values on its columns --------------------------------------------------------------------
RowCheck = Callable[[Sequence[float]], bool]


def row_check_t3(values: Sequence[float]) -> bool:
    """Table 三: 总计 (last of seven) equals the sum of the six applicant columns."""
    return abs(sum(values[:6]) - values[6]) < 1e-9


def row_check_t4_group(values: Sequence[float]) -> bool:
    """One group of table 四 (five values): 总计 equals the sum of the other four."""
    return abs(sum(values[:4]) - values[4]) < 1e-9


def row_check_t4(values: Sequence[float]) -> bool:
    """Table 四, all three groups of five."""
    return all(row_check_t4_group(values[g:g + 5]) for g in (0, 5, 10))


def _trim_blanks(cells: list[str], n_columns: int, trailing_first: bool) -> list[str]:
    """Drop surplus empty cells at the ends (a trailing tab; a label column that spilled over)."""
    ends = (-1, 0) if trailing_first else (0, -1)
    for end in ends:
        while len(cells) > n_columns and not _fold(cells[end]):
            cells.pop(end)
    return cells


def _contradicts_total(cells: Sequence[str]) -> bool:
    """A stated last (总计) cell that differs from the sum of the stated cells before it."""
    values = [parse_value(cell).value for cell in cells]
    return values[-1] is not None and any(v is not None for v in values[:-1]) \
        and abs(sum(v or 0.0 for v in values[:-1]) - values[-1]) > 1e-9


def place_row(cells: Sequence[str], n_columns: int, check: RowCheck | None = None,
              *, has_total: bool = False) -> list[CellValue]:
    """Place a row's value cells on ``n_columns`` columns.

    - As many cells as columns (after dropping surplus blanks at the ends: trailing ones first, unless the row's
      总计 then contradicts the other columns and dropping leading ones does not): each cell is read as written.
    - Otherwise the non-blank cells are split into tokens on white space, and each all-digit token may be split
      into several numbers (no number but 0 starts with 0). A split that yields exactly ``n_columns`` numbers
      and passes ``check`` is used if it is the only one (without ``check``, only if only one split exists).
    - Failing that, with ``has_total`` and fewer numbers than columns whose last equals the sum of the others
      (blank cells dropped by a PDF extraction), the last is the 总计 column and the others are unknown.
    - Anything else: every cell unknown, with a warning that quotes the row.
    """
    trimmed = _trim_blanks(list(cells), n_columns, trailing_first=True)
    if has_total and len(trimmed) == n_columns and _contradicts_total(trimmed):
        leading_first = _trim_blanks(list(cells), n_columns, trailing_first=False)
        if len(leading_first) == n_columns and not _contradicts_total(leading_first):
            trimmed = leading_first  # "\t\t40\t5…\t0\t": an empty label column before, a blank 总计 after
    cells = trimmed
    if len(cells) == n_columns:
        placed = [parse_value(cell) for cell in cells]
        if not any(p.status == "unknown" and _has_digit_runs(p.raw) for p in placed):
            return placed
    tokens = [token for cell in cells for token in _fold(cell).split() if token]
    parsed = [parse_value(token) for token in tokens]
    if len(tokens) == n_columns and all(p.status != "unknown" for p in parsed):
        return [_with_warning(p, "单元格之间缺少分隔，按空格拆分") for p in parsed]
    if tokens and all(_DIGIT_RUN.match(t) or parse_value(t).status == "ok" for t in tokens):
        # without a rule to check it, a split is trusted only inside one run of digits: numbers on their own
        # (separate cells or lines, "0 10" for three columns) are not cut up
        found = _splits(tokens, n_columns, check) if check is not None or len(tokens) == 1 else []
        if found is not None and len(found) == 1:
            (numbers,) = found
            note = "数值连在一起，按表格勾稽关系唯一拆分为 " + " / ".join(numbers)
            return [_with_warning(parse_value(n), note, "arithmetic") for n in numbers]
        row_text = " ".join(tokens)
        values = [p.value for p in parsed]
        if has_total and 1 < len(tokens) < n_columns and all(v is not None for v in values) \
                and abs(sum(values[:-1]) - values[-1]) < 1e-9:
            warning = f"本行只有 {len(tokens)} 个数值（{row_text}），少于 {n_columns} 列；末值为总计，其余各列无法确定"
            unknown = CellValue(None, None, "", "unknown", warning)
            return [unknown] * (n_columns - 1) + [_with_warning(parsed[-1], warning)]
        if check is None and 1 < len(tokens) < n_columns:
            warning = f"本行只有 {len(tokens)} 个数值（{row_text}），少于 {n_columns} 列，无法确定各在哪一列"
        else:
            warning = (f"本行数值“{row_text}”有多种方式拆分为 {n_columns} 列，无法确定各列数值" if found is None or found
                       else unplaced(tokens, n_columns))
        return [CellValue(None, None, row_text, "unknown", warning)] * n_columns
    row_text = " ".join(c for c in cells if _fold(c))
    warning = f"本行有 {len(cells)} 个单元格（{row_text}），与模板的 {n_columns} 列对不上，无法确定各列数值"
    return [CellValue(None, None, row_text, "unknown", warning)] * n_columns


def _has_digit_runs(text: str) -> bool:
    return bool(re.fullmatch(r"[\d\s]+", _fold(text)))


def _with_warning(value: CellValue, warning: str, how: str | None = None) -> CellValue:
    return CellValue(value.value, value.unit, value.raw, value.status, value.warning or warning, how or value.how)


def candidate_splits(tokens: list[str], n: int, check: RowCheck | None, limit: int = 64) -> list[list[str]]:
    """Up to ``limit`` ways to cut all-digit tokens into ``n`` numbers that pass ``check`` (empty if too many)."""
    found = splits(tokens, n, check, limit)
    return [list(c) for c in found] if found else []


def _splits(tokens: list[str], n: int, check: RowCheck | None) -> list[list[str]] | None:
    """The ways to cut the tokens into ``n`` numbers that pass ``check``: one, or none; None when there are more
    (``ingest.solve.splits`` does the cutting)."""
    found = splits(tokens, n, check, limit=1)
    return [list(c) for c in found] if found is not None else None
