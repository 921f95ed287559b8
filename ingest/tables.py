"""Tables 二, 三 and 四 out of a Document, whatever the layout, into :class:`Cell` objects.

Layouts differ too much to trust grid positions, so the parser follows the template instead:
1. Every table row (and every short paragraph that reads "label numbers…") becomes a :class:`LineRow`: the label
   text (the leading non-value cells) and the value cells after it. Header rows are cues to which table follows.
2. A row belongs to the table whose labels it matches, or to the table the headings and cues put it in.
3. Table 三: rows whose label names exactly one template row are anchors; unlabelled value rows between two
   anchors (PDF layouts separate labels from values) are placed in template order when their count equals the
   number of template rows between the anchors, and reported otherwise.
4. Values are placed on columns by :func:`ingest.values.place_row`.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .model import Cell, Paragraph, Table
from .streamcells import blank_row
from .template import (T3_FLOW_KEYS, TABLE3, TABLE4, T4_COLUMNS, T4_GROUPS, Row, TableSpec, normalize_label,
                       outcome_keys, table2_spec)
from .values import (CellValue, candidate_splits, is_value_cell, place_row, row_check_t3, row_check_t4,
                     row_check_t4_group)

__all__ = ["LineRow", "extract_cells", "line_rows"]


@dataclass(frozen=True)
class LineRow:
    label: str  # as written, label cells joined
    values: tuple[str, ...]
    table: str | None  # 二 / 三 / 四 by position; None outside the table zones
    header: bool = False  # a header or caption row: labels only


_T2_CUE = re.compile(r"第二十条|信息内容|本年新制作|本年制发|上一年项目数量|处理决定数量|采购项目数量")
_T3_CUE = re.compile(r"申请人情况|自然人|勾稽关系|商业企业|本年度办理结果")
_T4_CUE = re.compile(r"行政复议|复议后起诉|直接起诉|结果维持|维持|纠正|审结")
_PARAGRAPH_ROW = re.compile(r"^(?P<label>(?:\d+[.、．]\s*)?[^\d\s].*?[^\d\s.,\-])\s*"
                            r"(?P<values>(?:[+\-－]?\d(?:[\d.,]|，(?=\d{3}(?!\d)))*\s*(?:万元|元)?\s*)+)$")
_STATED = re.compile(r"\d|无")
_SENTENCE_PUNCTUATION = re.compile(r"[，。；！？]")
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")
_PROSE_WORDS = re.compile(r"件|共|全年|其中|方面|占比")  # "1.办理结果方面，予以公开的申请 30 件": a sentence
_NUMBERED_LABEL = re.compile(r"^\s*(?:\d+\s*[.、．]|[（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、)")


def _is_prose(label: str) -> bool:
    """A sentence, not a template label: "…共新收申请44件，其中上年结转政府信息公开申请5" has sentence punctuation
    outside brackets (the label （二）部分公开（区分处理的，只计这一情形…） has it only inside), and does not open
    with the template's numbering (1.申请人无正当理由逾期不补正，行政机关不再处理… is a label)."""
    if not _SENTENCE_PUNCTUATION.search(_BRACKETED.sub("", label)):
        return False
    return not _NUMBERED_LABEL.match(label) or bool(_PROSE_WORDS.search(label))
_NUMBERS_LINE = re.compile(r"(?:[+\-－]?\d[\d.,]*\s+){4,}[+\-－]?\d[\d.,]*")  # five or more numbers, nothing else
_TRAILING_DIGITS = re.compile(r"^(?P<label>.*?[^\d\s.,\-])\s*(?P<digits>\d[\d\s]*)$")


def _split_row(cells: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """Leading label cells (consecutive repeats from merged cells folded) and the value cells after them."""
    last_label = -1
    for i, cell in enumerate(cells):
        if not is_value_cell(cell):
            last_label = i
    labels: list[str] = []
    for cell in cells[:last_label + 1]:
        cell = cell.strip()
        if cell and (not labels or labels[-1] != cell):
            labels.append(cell)
    values = list(cells[last_label + 1:])
    if labels and (match := _TRAILING_DIGITS.match(labels[-1])):
        labels[-1] = match["label"]  # "行政许可3960181": the values ran into the label
        values.insert(0, match["digits"])
    return "".join(labels), tuple(values)


def line_rows(blocks, zones: list[str | None]) -> list[LineRow]:
    """Candidate table rows of the document, in order.

    ``zones[i]`` is the table (二/三/四) that the section headings put block ``i`` in, or None in narrative
    sections. Header rows switch the current table when a report's headings are missing or misplaced; so does a
    row whose label names a template row of another table.
    """
    rows: list[LineRow] = []
    current: str | None = None
    previous_zone: str | None = None
    for block, zone in zip(blocks, zones):
        if zone != previous_zone:
            current = previous_zone = zone
        if isinstance(block, Paragraph):
            if zone is None:
                continue  # narrative: its numbers are not table rows
            text = block.text.strip()
            match = _PARAGRAPH_ROW.match(text)
            target = _row_table(normalize_label(match["label"]), current) \
                if match and len(match["label"]) <= 40 and not _is_prose(match["label"]) else None
            if target:
                current = target
                rows.append(LineRow(match["label"].strip(), tuple(match["values"].split()), target))
            elif current and _NUMBERS_LINE.fullmatch(text):
                rows.append(LineRow("", tuple(text.split()), current))  # a PDF's value line without its label
            elif len(text) <= 60 and (cue := _cue(text)):
                current = cue
            continue
        for cells in block.rows:
            label, values = _split_row(cells)
            target = _row_table(normalize_label(label), current) if label else None
            stated = any(_STATED.search(v) for v in values)
            if label and (not values or (target is None and not stated)):
                current = _cue(label) or current
                rows.append(LineRow(label, values, current, header=True))
                continue
            if not label and not stated:
                continue  # an unlabelled row without a single number (dashes, blanks)
            current = target or current
            rows.append(LineRow(label, values, current))
    return rows


def _cue(label: str) -> str | None:
    folded = normalize_label(label)
    if _T4_CUE.search(folded) and not re.search(r"本年新收|予以公开", folded):
        return "四"
    if _T3_CUE.search(folded):
        return "三"
    if _T2_CUE.search(folded):
        return "二"
    return None


@functools.lru_cache(maxsize=8192)  # the same template labels recur in every report
def _row_table(label: str, current: str | None) -> str | None:
    """Which table a label names a row of, preferring the current one."""
    if not label:
        return None
    order = [current] if current in ("二", "三") else []
    order += [t for t in ("三", "二") if t not in order]
    for table in order:
        spec = TABLE3 if table == "三" else table2_spec("2019")
        if _matches(spec, label) or (table == "二" and _matches(table2_spec("2021"), label)):
            return table
    return None


@functools.lru_cache(maxsize=8192)  # the same labels recur in every report
def _matches(spec: TableSpec, label: str) -> tuple[Row, ...]:
    """The template rows a normalised label names: its leaf rows if any, else the group rows."""
    found = tuple(row for row in spec.rows if row.search(label))
    leaves = tuple(row for row in found if row.leaf)
    return leaves or found


# --- cells ----------------------------------------------------------------------------------------------------
def extract_cells(rows: list[LineRow], fmt: str) -> tuple[list[Cell], list[str]]:
    """Cells of tables 二, 三 and 四 (every template row; absent rows blank) and the warnings met on the way."""
    warnings: list[str] = []
    cells = _table2([r for r in rows if r.table == "二"], fmt, warnings)
    cells += _table3([r for r in rows if r.table == "三"], fmt, warnings)
    cells += _table4([r for r in rows if r.table == "四"], warnings)
    return cells, warnings


def _cells_for(table: str, row_key: str, row_label: str, columns, placed: list[CellValue],
               header_units: dict[str, str] | None = None) -> list[Cell]:
    out = []
    for column, value in zip(columns, placed):
        unit = value.unit or (header_units or {}).get(column.key) or (column.unit if value.value is not None else None)
        how = value.status if value.status != "ok" else value.how
        out.append(Cell(table, row_key, row_label, column.key, column.label, value.value, unit, value.raw,
                        value.status, value.warning, how))
    return out


def _table2(rows: list[LineRow], fmt: str, warnings: list[str]) -> list[Cell]:
    spec = table2_spec(fmt)
    found: dict[str, list[Cell]] = {}
    parent: Row | None = None
    header_units = _header_units(rows)
    for line in rows:
        if line.header:
            continue
        label = normalize_label(line.label)
        matches = _matches(spec, label)
        if not matches and parent is not None and line.label:
            row, key, row_label = parent, f"{parent.key}/{line.label.strip()}", f"{parent.label}·{line.label.strip()}"
        elif len(matches) == 1:
            row = matches[0]
            rest = label[row.search(label).end():]
            parent = row if re.fullmatch(r"[\u4e00-\u9fff]{2,12}", rest) else None
            key, row_label = (f"{row.key}/{rest}", f"{row.label}·{rest}") if parent else (row.key, row.label)
        else:
            if line.label or any(v.strip() for v in line.values):
                warnings.append(f"表二：无法识别的行“{line.label or ' '.join(line.values)}”，已跳过")
            continue
        if key in found:
            continue
        placed = place_row(line.values, len(row.columns))
        found[key] = _cells_for("二", key, row_label, row.columns, placed, header_units.get(row.key))
    cells: list[Cell] = []
    for row in spec.rows:
        own = [cells for key, cells in found.items() if key == row.key or key.startswith(row.key + "/")]
        if own:
            for part in own:
                cells.extend(part)
        elif rows:
            cells.extend(blank_row("二", row))
    return cells


def _header_units(rows: list[LineRow]) -> dict[str, dict[str, str]]:
    """Units stated in table 二's column headers, e.g. 采购总金额（万元，保留四位小数）: {row key: {column: unit}}."""
    units: dict[str, dict[str, str]] = {}
    for line in rows:
        if not line.header:
            continue
        text = normalize_label(line.label)
        for row_key, column, word in (("procurement", "amount", "采购总金额"), ("fees", "fee_amount", "收费金额")):
            if match := re.search(word + r"[（(][^）)]*?(万元|亿元|元)", text):
                units.setdefault(row_key, {})[column] = match[1]
    return units


def _table3(rows: list[LineRow], fmt: str, warnings: list[str]) -> list[Cell]:
    rows = [row for row in rows if not row.header]
    if not rows:
        return []
    expected = [r for r in TABLE3.rows if (r.key == "other") == (fmt == "2019") or not r.key.startswith("other")]
    index = {row.key: i for i, row in enumerate(expected)}
    candidates: list[tuple[Row, ...]] = []
    for line in rows:
        candidates.append(_matches(TABLE3, normalize_label(line.label)) if line.label else ())
    # anchors: rows naming exactly one template row, in template order
    anchors: list[tuple[int, int]] = []  # (line position, template position)
    last = -1
    for pos, found in enumerate(candidates):
        if len(found) == 1:
            key = found[0].key
            if key not in index:  # e.g. a single （六）其他处理 row in a 2021-format report
                expected.insert(index[_neighbour(key, index)], found[0])
                index = {row.key: i for i, row in enumerate(expected)}
            if index[key] > last:
                anchors.append((pos, index[key]))
                last = index[key]
    assignment: dict[int, int] = {}  # template position -> line position
    bounds = [(-1, -1)] + anchors + [(len(rows), len(expected))]
    for (p0, t0), (p1, t1) in zip(bounds, bounds[1:]):
        fills = [p for p in range(p0 + 1, p1) if any(v.strip() for v in rows[p].values)]
        gap = list(range(t0 + 1, t1))
        if fills and len(fills) == len(gap) and all(
                not candidates[p] or expected[t] in candidates[p] for p, t in zip(fills, gap)):
            assignment.update(zip(gap, fills))
        elif fills:
            shown = "；".join(f"{rows[p].label} {' '.join(rows[p].values)}".strip() for p in fills)
            warnings.append(f"表三：{len(fills)} 行数值无法对应到模板行（{shown}），这些行记为未知")
        if p1 < len(rows):
            assignment[t1] = p1
    placed = {row.key: place_row(rows[assignment[t]].values, len(row.columns), row_check_t3, has_total=True)
              for t, row in enumerate(expected) if t in assignment}
    _resolve_by_columns(placed, {row.key: rows[assignment[t]].values for t, row in enumerate(expected) if t in assignment})
    cells: list[Cell] = []
    for row in expected:
        if row.key in placed:
            cells.extend(_cells_for("三", row.key, row.label, row.columns, placed[row.key]))
        else:
            cells.extend(blank_row("三", row))
    return cells


def _resolve_by_columns(placed: dict[str, list[CellValue]], raw: dict[str, tuple[str, ...]]) -> None:
    """Settle a run-together row that its own 总计 cannot split, with the column rules of table 三.

    For each column, 一 + 二 = （七）+ 四 and （七）= the sum of the outcome rows. A candidate split of the row is
    kept when every such equation it takes part in can be evaluated (all other cells known) and holds; the row is
    resolved only when exactly one candidate is kept. One unresolved row at a time: with two, nothing is guessed.
    """
    unresolved = [key for key, values in placed.items() if all(v.status == "unknown" for v in values)]
    if len(unresolved) != 1:
        return
    key = unresolved[0]
    tokens = [t for cell in raw[key] for t in cell.split()]
    if not tokens or not all(t.isdigit() for t in tokens):
        return
    outcomes = outcome_keys(placed)
    equations: list[tuple[tuple[str, ...], tuple[str, ...]]] = []  # left side = right side, per column
    if key in T3_FLOW_KEYS:
        equations.append((("new_received", "carried_over"), ("total", "carried_forward")))
    if key == "total" or key in outcomes:
        equations.append((("total",), tuple(outcomes)))

    def holds(numbers: list[float]) -> bool:
        def value(k: str, column: int) -> float | None:
            if k == key:
                return numbers[column]
            cell = placed[k][column] if k in placed else None
            return None if cell is not None and cell.status == "unknown" else (cell.value or 0.0 if cell else 0.0)

        for left, right in equations:
            for column in range(7):
                sides = [[value(k, column) for k in side] for side in (left, right)]
                if any(v is None for side in sides for v in side) or abs(sum(sides[0]) - sum(sides[1])) > 1e-9:
                    return False
        return True

    kept = [c for c in candidate_splits(tokens, 7, row_check_t3) if equations and holds([float(x) for x in c])]
    if len(kept) == 1:
        note = "数值连在一起，按表三的列勾稽关系唯一拆分为 " + " / ".join(kept[0])
        placed[key] = [CellValue(float(x), None, x, "ok", note, "arithmetic") for x in kept[0]]


def _neighbour(key: str, index: dict[str, int]) -> str:
    return "total" if key.startswith("other") else next(iter(index))


def _table4(rows: list[LineRow], warnings: list[str]) -> list[Cell]:
    rows = [row for row in rows if not row.header]
    if not rows:
        return []
    by_group: dict[str, tuple[str, ...]] = {}
    loose: list[str] = []
    for line in rows:
        label = normalize_label(line.label)
        group = next((key for key, name in reversed(T4_GROUPS) if re.search(_group_pattern(key), label)), None)
        if group and len(line.values) >= 5:
            by_group[group] = line.values
        else:
            loose.extend(line.values)
    cells: list[Cell] = []
    if by_group:
        for key, name in T4_GROUPS:
            placed = place_row(by_group.get(key, ()), 5, row_check_t4_group) if key in by_group else None
            row = TABLE4.row(key)
            cells.extend(_cells_for("四", key, name, T4_COLUMNS, placed) if placed else blank_row("四", row))
        return cells
    candidates = [line.values for line in rows if len(line.values) >= 15]
    values = candidates[-1] if len(candidates) == 1 else tuple(loose)
    placed = place_row(values, 15, row_check_t4)
    for g, (key, name) in enumerate(T4_GROUPS):
        cells.extend(_cells_for("四", key, name, T4_COLUMNS, placed[g * 5:(g + 1) * 5]))
    if any(p.status == "unknown" for p in placed):
        warnings.append(f"表四：{placed[0].warning}")
    return cells


def _group_pattern(key: str) -> str:
    return {"review": r"^行政复议$|^行政复议[^，,]*$", "litigation_direct": r"直接起诉", "litigation_after_review": r"复议后起诉"}[key]
