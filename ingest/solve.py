"""Numbers that ran together, split into a table's cells by the template's arithmetic.

A row's value text is a few tokens (``21710000218``, ``0 0 0 0 0 00``, ``1-10``); a token of digits may hold
several cells. :func:`splits` lists the ways to cut the tokens into the row's cells (a number never starts with 0
unless it is 0; white space is a boundary). :func:`solve` then decides each row of a table:

1. one way only (seven digits for seven cells): read so, whatever the arithmetic says (a source that does not add
   up is the source's own finding);
2. else the ways that satisfy the row's own rule (总计 = the six columns; each group of table 四);
3. else the ways that, with the rows already settled, satisfy the column rules (一 + 二 = （七） + 四 and
   （七） = the outcome rows) — a row is settled when every surviving combination agrees on it;
4. else unknown, with a warning naming the candidates.

Rows with fewer numbers than cells are read by :func:`expand_repeats` where the document drops a line equal to the
one before it (a crawler that does so collapses ``0 0 0 0 0 0 0`` to ``0``), else by their 总计 alone.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .stream import signed_cells

__all__ = ["splits", "expand_repeats", "RowSolution", "solve", "number_of", "Equation", "unplaced"]

RowCheck = Callable[[Sequence[float]], bool]
Equation = tuple[tuple[str, ...], tuple[str, ...], int]  # left rows = right rows, in one column
_DIGITS = re.compile(r"^([+\-]?)(\d+)$")
_NUMBER = re.compile(r"^([+\-]?)(\d+(?:\.\d+)?|\.\d+)(万元|亿元|元|%)?$")
_MAX_NODES = 200_000


def number_of(piece: str) -> float:
    """The value of one cell's text (sign, digits, decimals; a unit suffix ignored)."""
    match = _NUMBER.match(piece.lstrip("="))
    if not match:
        raise ValueError(piece)
    value = float(match[2])
    return -value if match[1] == "-" else value


def splits(tokens: Sequence[str], n: int, check: RowCheck | None = None, limit: int = 64) -> list[tuple[str, ...]] | None:
    """Up to ``limit`` ways to cut ``tokens`` into ``n`` cells that pass ``check``; None when there are more (or the
    search is too large to finish). A token of plain digits (an optional sign first) may be cut anywhere a number
    may start; a decimal, a number with its unit and a whole stated cell (``=12``) are one cell each."""
    found: list[tuple[str, ...]] = []
    nodes = 0
    tokens = [piece for t in tokens for piece in signed_cells(t)]
    cuttable = [bool(_DIGITS.match(t)) for t in tokens]
    tokens = [t.lstrip("=") for t in tokens]
    # the most cells the tokens from i on can give: a digit per cell
    most = [0] * (len(tokens) + 1)
    for i in range(len(tokens) - 1, -1, -1):
        most[i] = most[i + 1] + (len(_DIGITS.match(tokens[i])[2]) if cuttable[i] else 1)

    def walk(i: int, pos: int, acc: list[str]) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > _MAX_NODES:
            return False
        if i == len(tokens):
            if len(acc) == n and (check is None or check([number_of(a) for a in acc])):
                found.append(tuple(acc))
            return len(found) <= limit
        remaining = n - len(acc)
        token = tokens[i]
        if not cuttable[i]:
            return remaining >= 1 and walk(i + 1, 0, acc + [token])
        sign, digits = _DIGITS.match(token).groups()
        left = len(digits) - pos
        if remaining < (len(tokens) - i) or remaining > left + most[i + 1]:
            return True
        prefix = sign if pos == 0 else ""
        lengths = [1] if digits[pos] == "0" else range(1, left + 1)
        for length in lengths:
            piece = prefix + digits[pos:pos + length]
            end = pos + length
            ok = walk(i + 1, 0, acc + [piece]) if end == len(digits) else walk(i, end, acc + [piece])
            if not ok:
                return False
        return True

    complete = walk(0, 0, [])
    if not complete:
        return None
    return found


def expand_repeats(tokens: Sequence[str], n: int, check: RowCheck | None = None,
                   limit: int = 64) -> list[tuple[str, ...]]:
    """Ways to read ``tokens`` as ``n`` cells where each token stands for a run of equal cells (at least one) and
    neighbouring tokens differ (a line equal to the one before was dropped)."""
    tokens = [t.lstrip("=") for t in tokens]
    m = len(tokens)
    if not 0 < m <= n or any(a == b for a, b in zip(tokens, tokens[1:])):
        return []
    found: list[tuple[str, ...]] = []
    for cuts in itertools.combinations(range(1, n), m - 1):
        bounds = (0, *cuts, n)
        cells = tuple(tokens[k] for k in range(m) for _ in range(bounds[k + 1] - bounds[k]))
        if check is None or check([number_of(c) for c in cells]):
            found.append(cells)
            if len(found) > limit:
                break
    return found


@dataclass(frozen=True)
class RowSolution:
    cells: tuple[str, ...] | None  # the cells' texts, or None when unknown
    how: str  # separated | split | arithmetic | columns | repeats | total_only | unknown
    note: str | None = None
    total: str | None = None  # how="total_only": the row's 总计, the last cell


def solve(rows: dict[str, tuple[str, ...]], n: int, check: RowCheck | None = None,
          equations: Sequence[Equation] = (), collapsed: bool = False, max_combinations: int = 20_000,
          ) -> dict[str, RowSolution]:
    """Settle every row of one table (``rows``: row key → tokens; all rows have ``n`` cells). See the module
    docstring for the order of the rules."""
    solutions: dict[str, RowSolution] = {}
    open_rows: dict[str, list[tuple[str, ...]]] = {}
    for key, tokens in rows.items():
        if tokens:
            settled = _settle(tokens, n, check, collapsed)
            if isinstance(settled, RowSolution):
                solutions[key] = settled
            else:
                open_rows[key] = settled
    if open_rows:
        _by_columns(open_rows, solutions, equations, n, max_combinations)
    _one_cell_short(rows, solutions, equations, n)
    for key, candidates in open_rows.items():
        if key not in solutions:
            shown = "；".join(" / ".join(c) for c in candidates[:4]) + ("；……" if len(candidates) > 4 else "")
            solutions[key] = RowSolution(None, "unknown", f"本行数值“{' '.join(rows[key])}”有 {len(candidates)} "
                                         f"种拆分为 {n} 列的方式（{shown}），无法确定各列数值")
    return solutions


def _settle(tokens: tuple[str, ...], n: int, check: RowCheck | None,
            collapsed: bool) -> RowSolution | list[tuple[str, ...]]:
    """One row on its own: settled, or the candidates that remain for the column rules."""
    shown = " ".join(t.lstrip("=") for t in tokens)
    if len(tokens) == n and all(_valid(t) for t in tokens):
        return RowSolution(tuple(t.lstrip("=") for t in tokens), "separated")
    # without a rule to check it, a split is trusted only inside one run of digits: separate numbers (0 10 for
    # three columns) are not cut up
    found = splits(tokens, n, limit=400) if check is not None or len(tokens) == 1 else []
    if found == [] and check is not None and (merged := _merged(tokens)) != tokens:  # spaces not between cells
        found_merged = splits(merged, n, limit=400)
        if found_merged != []:
            tokens, found = merged, found_merged
    if found is not None and len(found) == 1:
        return RowSolution(found[0], "split", f"数值连在一起（{shown}），只有一种拆分为 {n} 列的方式")
    if check is None:
        passing = found or []
    elif found is not None:
        passing = [c for c in found if check([number_of(x) for x in c])]
    else:
        passing = splits(tokens, n, check, limit=400) or []
    if len(passing) == 1:
        return RowSolution(passing[0], "arithmetic", f"数值连在一起（{shown}），按本行总计唯一拆分为 " + " / ".join(passing[0]))
    if not found and len(tokens) < n and collapsed:
        repeats = expand_repeats(tokens, n, check)
        if check is None and any(number_of(t) != 0 for t in tokens):
            repeats = []  # no rule to confirm 265 as 265 / 265 / 265: only zeros are expanded unchecked
        if len(repeats) == 1:
            return RowSolution(repeats[0], "repeats", f"本行只有 {len(tokens)} 个数值（{shown}），原文相邻的相同数值被"
                               "合并，还原为 " + " / ".join(repeats[0]))
    if passing or found:
        return passing or found
    if found is None:
        return RowSolution(None, "unknown", f"本行数值“{shown}”拆分为 {n} 列的方式太多，无法确定各列数值")
    if check is None and 1 < len(tokens) < n:
        return RowSolution(None, "unknown", f"本行只有 {len(tokens)} 个数值（{shown}），少于 {n} 列，无法确定各在哪一列")
    return _short_row(tokens, n, check)


def _valid(token: str) -> bool:
    """One number as written: no leading zero (``01`` is two cells run together)."""
    match = _NUMBER.match(token.lstrip("="))
    if token.startswith("="):
        return bool(match)  # a stated cell is read as written
    return bool(match) and not (len(match[2]) > 1 and match[2][0] == "0" and match[2][1] != ".")


def _merged(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Neighbouring plain digit tokens joined: white space that fell inside a run of cells."""
    out: list[str] = []
    for token in tokens:  # (whole cells, marked =, are never joined)
        if out and out[-1].isdigit() and token.isdigit():
            out[-1] += token
        else:
            out.append(token)
    return tuple(out)


def _short_row(tokens: Sequence[str], n: int, check: RowCheck | None) -> RowSolution:
    """A row with too few numbers (blank cells dropped): its last number is the 总计 when the others add up to it."""
    whole = all(t.startswith("=") for t in tokens)  # each a cell as printed: there are too few, none to cut
    tokens = [t.lstrip("=") for t in tokens]
    shown = " ".join(tokens)
    try:
        values = [number_of(t) for t in tokens]
    except ValueError:
        values = []
    if check is not None and values and 1 < len(tokens) < n and abs(sum(values[:-1]) - values[-1]) < 1e-9:
        return RowSolution(None, "total_only", f"本行只有 {len(tokens)} 个数值（{shown}），少于 {n} 列；末值为总计，"
                           "其余各列无法确定", total=tokens[-1])
    if whole and len(tokens) < n:
        return RowSolution(None, "unknown", f"本行只有 {len(tokens)} 个数值（{shown}），少于 {n} 列，无法确定各在哪一列")
    return RowSolution(None, "unknown", unplaced(tokens, n))


def unplaced(tokens: Sequence[str], n: int) -> str:
    """Why a row's numbers cannot be placed in its ``n`` columns, when no split of them passes."""
    shown = " ".join(t.lstrip("=") for t in tokens)
    if len(tokens) < n and any(_WITH_UNIT.match(t.lstrip("=")) for t in tokens):  # 2832995元: cells run together
        return f"本行数值“{shown}”少于 {n} 列，可能是几格连在一起（数字后带单位，不能确定从哪里分开），无法确定各列数值"
    return f"本行数值“{shown}”无法拆分为 {n} 列，无法确定各列数值"


_WITH_UNIT = re.compile(r"^\d{2,}(?:\.\d+)?[^\d.]+$")


def _by_columns(open_rows: dict[str, list[tuple[str, ...]]], solutions: dict[str, RowSolution],
                equations: Sequence[Equation], n: int, max_combinations: int) -> None:
    """Rows still open, settled together by the column equations with the rows already read."""
    keys = [k for k in open_rows if any(k in left + right for left, right, _ in equations)]
    if not keys:
        return
    total = 1
    for key in keys:
        total *= len(open_rows[key])
    if total > max_combinations:
        return
    fixed = {k: [number_of(x) for x in s.cells] for k, s in solutions.items() if s.cells is not None}
    unknown = {k for k, s in solutions.items() if s.cells is None}
    relevant = [(left, right, col) for left, right, col in equations if set(left + right) & set(keys)
                and not set(left + right) & unknown]
    survivors: list[tuple[tuple[str, ...], ...]] = []
    for combo in itertools.product(*(open_rows[k] for k in keys)):
        values = dict(fixed)
        values.update({k: [number_of(x) for x in c] for k, c in zip(keys, combo)})
        if all(_holds(values, left, right, col) for left, right, col in relevant):
            survivors.append(combo)
    if not survivors:
        survivors = _most_consistent(keys, open_rows, fixed, relevant)
        if not survivors:
            return
    for i, key in enumerate(keys):
        readings = {combo[i] for combo in survivors}
        if len(readings) == 1:
            (cells,) = readings
            solutions[key] = RowSolution(cells, "columns", "数值连在一起，按表三的列勾稽关系唯一拆分为 " + " / ".join(cells))


def _one_cell_short(rows: dict[str, tuple[str, ...]], solutions: dict[str, RowSolution],
                    equations: Sequence[Equation], n: int) -> None:
    """A row that printed one number fewer than it has cells (``0 00000``): where the column rules give every cell
    of the row from the rows already read, and those cells, one left out, are exactly the digits printed, the row
    is what the rules say."""
    known = {k: [number_of(x) for x in s.cells] for k, s in solutions.items() if s.cells is not None}
    for key, tokens in rows.items():
        if key in known or not tokens or not all(t.isdigit() for t in tokens) or len(tokens) >= n - 1:
            continue  # n-1 separate numbers: a cell left blank, not a number lost in a run
        implied: list[float | None] = [None] * n
        for left, right, column in equations:
            if key not in left + right or implied[column] is not None:
                continue
            others_left = [k for k in left if k != key]
            others_right = [k for k in right if k != key]
            if all(k in known for k in others_left + others_right):
                value = sum(known[k][column] for k in others_right) - sum(known[k][column] for k in others_left)
                implied[column] = value if key in left else -value
        if any(v is None or v < 0 or not float(v).is_integer() for v in implied):
            continue
        cells = [str(int(v)) for v in implied]
        if any("".join(cells[:k] + cells[k + 1:]) == "".join(tokens) for k in range(n)):
            solutions[key] = RowSolution(tuple(cells), "columns", f"本行只印出 {n - 1} 个数值（{' '.join(tokens)}），"
                                         "按表三的列勾稽关系补全为 " + " / ".join(cells))


def _most_consistent(keys: list[str], open_rows: dict[str, list[tuple[str, ...]]], fixed: dict[str, list[float]],
                     equations: list[Equation]) -> list[tuple[tuple[str, ...], ...]]:
    """Where no reading satisfies every rule (the source does not add up), the one that satisfies clearly the most:
    at least two rules more than any other. A source's own slip then shows as a finding, not as an unknown row."""
    scored: list[tuple[int, tuple[tuple[str, ...], ...]]] = []
    for combo in itertools.product(*(open_rows[k] for k in keys)):
        values = dict(fixed)
        values.update({k: [number_of(x) for x in c] for k, c in zip(keys, combo)})
        scored.append((sum(_holds(values, left, right, col) for left, right, col in equations), combo))
    scored.sort(key=lambda s: -s[0])
    if len(scored) == 1 or (scored and scored[0][0] - scored[1][0] >= 2):
        return [scored[0][1]]
    return []


def _holds(values: dict[str, list[float]], left: tuple[str, ...], right: tuple[str, ...], column: int) -> bool:
    """An equation holds, or cannot be evaluated because a row is not in the table (then it says nothing)."""
    if any(k not in values for k in left + right):
        return True
    return abs(sum(values[k][column] for k in left) - sum(values[k][column] for k in right)) < 1e-9
