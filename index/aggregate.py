"""Answers over several reports: sums, largest/smallest, rankings, comparisons between bodies, trends over years."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from ingest.checks import fmt_number

from .model import Answer, Chart, Citation, Query, ReportRef
from .numeric import Reading, Tables, column_keys, is_money, shown
from .phrasing import subject
from .tally import Tally, column_labels, in_full, tally
from .wording import W

__all__ = ["aggregate_answer"]


MAX_LISTED = 30  # parts named in an answer's text
MAX_CITED = 50  # citations attached (the first ones in the answer's order)
_IN_WAN = {"万元": 1.0, "元": 0.0001, "亿元": 10000.0}  # money units, as 万元
_GOVERNMENT = re.compile(r"(?:人民政府|政府)$")
_PLACE_END = re.compile(r"[省市县区]$")
_PLACE_CHARS = frozenset("省市县区")  # a place's own body has one of them in its name (no 街道 has)


def _comparable(reading: Tally, money: bool) -> float:
    """A value comparable across reports: money in 万元 (every unit is stated by then), counts as they are."""
    return reading.value * _IN_WAN[reading.unit] if money else reading.value


def _difference(first: Tally, second: Tally, value: float, money: bool) -> str:
    """"2020年比2019年多 6 件" for one body, "左家庄街道2019年比柴桥街道2019年多 1 件" for two (the readings share
    their unit)."""
    name = lambda r: f"{r.report.body}{r.report.year}年"  # noqa: E731
    later = f"{first.report.year}年" if first.report.body == second.report.body else name(first)
    earlier = f"{second.report.year}年" if first.report.body == second.report.body else name(second)
    if not value:
        return W.AGG_SAME.format(first=later, second=earlier)
    return W.AGG_DIFFERENCE.format(first=later, second=earlier, more="多" if value > 0 else "少",
                                   value=shown(abs(value), first.unit, money))


def _citation(reading: Reading) -> Citation:
    report = reading.report
    cell = reading.cells[0] if reading.cells else None
    text = "；".join(f"{c.row_label} {c.col_label} {fmt_number(c.value)}" for c in reading.cells) if cell else ""
    return Citation(report.body, report.year, report.display_title, report.source,
                    f"表{reading.measure.table} {reading.measure.label}", text)


def _citations(tables: Tables, rows: list[Tally], query: Query) -> tuple[Citation, ...]:
    """A citation of each of ``rows``, its cells read for it."""
    return tuple(_citation(r) for r in in_full(tables, rows, query.measure, query))


def _broken(tables: Tables, readings: list[Tally], query: Query) -> list[str]:
    """The readings among ``readings`` whose cells take part in a rule their report breaks, said once each: a
    ranking or total over a printed cell the report's own arithmetic contradicts is flagged (the printed number is
    what is ranked). A place's own report summed with its bodies' reports is said too: it may count them again."""
    operation = query.operation
    notes = [W.FINDING.format(message=c.message) for c in _contradicted(tables, readings[:MAX_LISTED], query)]
    bodies = {r.report.body for r in readings}
    places = sorted(b for b in bodies if not _PLACE_CHARS.isdisjoint(b) and (place := _GOVERNMENT.sub("", b))
                    and _PLACE_END.search(place) and any(o != b and o.startswith(place) for o in bodies))
    if places and operation == "sum":
        notes.append(W.AGG_PLACE_AND_BODIES.format(places="、".join(places)))
    return notes


# A row that disagrees with itself (总计 ≠ its columns, a group's total ≠ its parts): the number read may be either
# of two, so a total over it is not known. Rules across rows (一+二 = 七+四) do not say which row is wrong.
OWN_ROW_RULES = ("t3_row_sum", "t4_group_sum")


@dataclass(frozen=True)
class Contradiction:
    """A reading whose cells take part in a rule its own report breaks."""

    reading: Tally
    message: str  # the first such finding
    full: Reading  # the reading with its cells
    refs: tuple[str, ...]  # the cells of that finding (table/row/column), a sum's parts first, its total last


def _contradicted(tables: Tables, readings: list[Tally], query: Query,
                  rules: tuple[str, ...] = ()) -> list[Contradiction]:
    """The readings whose cells take part in a rule their own report breaks (of ``rules`` when given), each with
    the first such finding. The findings of all of them are read at once; the cells only of those with a finding
    about the measure's rows."""
    measure = query.measure
    rows = tuple(dict.fromkeys(row for rows in (measure.rows,) + measure.alternatives for row in rows))
    broken = tables.findings_of([r.report.id for r in readings], rules, measure.table, rows)
    suspects = [r for r in readings if r.report.id in broken]
    found = []
    for reading, full in zip(suspects, in_full(tables, suspects, measure, query)):
        used = {f"{c.table}/{c.row_key}/{c.col_key}" for c in full.cells}
        first = next(((m, refs) for m, refs in broken[reading.report.id] if used & set(refs)), None)
        if first is not None:
            found.append(Contradiction(reading, first[0], full, tuple(first[1])))
    return found


def _chart(kind: str, title: str, rows: list[Tally], label, unit: str | None, money: bool) -> Chart | None:
    """The readings drawn in the order given (two at least: one number is no chart), money in 万元 when the units
    differ."""
    rows = rows[:MAX_LISTED]
    if len(rows) < 2:
        return None
    mixed = money and len({r.unit for r in rows}) > 1
    points = tuple((label(r), round(_comparable(r, money), 6) if mixed else r.value) for r in rows)
    sources = tuple(dict.fromkeys(f"《{r.report.display_title}》（{r.report.source}）" for r in rows))
    return Chart(kind, title, "万元" if mixed else unit, points, sources)


def _could_be(tables: Tables, reading: Reading, refs: tuple[str, ...]) -> tuple[float, ...]:
    """The values a reading could have when its own row (parts and their total, the total last in ``refs``)
    contradicts itself: as printed, and as the row's other cells make it; none when that cannot be told."""
    if len(reading.cells) != 1 or reading.value is None:
        return ()
    cell = reading.cells[0]
    ref = f"{cell.table}/{cell.row_key}/{cell.col_key}"
    if ref not in refs:
        return ()
    rows = tuple(dict.fromkeys(r.split("/")[1] for r in refs))
    held = {f"{c.table}/{c.row_key}/{c.col_key}": c.value for c in tables.cells(reading.report.id, cell.table, rows)}
    values = [held.get(r) for r in refs]
    if any(v is None for v in values):
        return ()
    other = sum(values[:-1]) if ref == refs[-1] else values[-1] - (sum(values[:-1]) - held[ref])
    return (reading.value, other)


def _ranking_holds(tables: Tables, good: list[Tally], contradicted: list[Contradiction], query: Query,
                   money: bool) -> bool:
    """Whether what a ranking question asks (the largest, the n-th, the order) is the same whichever value each
    self-contradicting reading has: 海坛 0 or 6 does not move the largest, 69."""
    if money or len(contradicted) > 4:
        return False
    ascending = query.operation in ("min", "rank_min", "nth_min")
    choices = [_could_be(tables, c.full, c.refs) for c in contradicted]
    if not all(choices):
        return False

    def asked(values: dict[int, float]) -> tuple | None:
        ordered = sorted(good, key=lambda r: values.get(id(r), r.value), reverse=not ascending)
        numbers = [values.get(id(r), r.value) for r in ordered]
        if query.operation in ("max", "min"):
            ordered, numbers = ordered[:1], numbers[:2]
        elif query.operation.startswith("nth"):
            n = query.top or 1
            ordered, numbers = ordered[n - 1:n], numbers[max(0, n - 2):n + 1]
        elif query.top:
            ordered, numbers = ordered[:query.top], numbers[:query.top + 1]
        if len(set(numbers)) < len(numbers):  # a tie where the answer is decided: not the same answer
            return None
        return tuple(id(r) for r in ordered)

    first = asked({})
    return first is not None and all(
        asked({id(c.reading): v for c, v in zip(contradicted, values)}) == first
        for values in itertools.product(*choices))


def operation_is_not_sum(query: Query) -> bool:
    return query.operation != "sum"


def aggregate_answer(question: str, query: Query, tables: Tables, reports: list[ReportRef],
                     warnings: list[str], year: int | None = None) -> Answer:
    """``reports`` are the reports in scope (one year, or one body over years, or the bodies compared)."""
    measure = query.measure
    assert measure is not None
    columns, column_label = column_keys(query, measure)
    label = subject(measure, columns, column_label if measure.table == "二" else "")
    readings = tally(tables, reports, measure, query)
    good = [r for r in readings if r.status == "ok"]
    skipped = [r for r in readings if r.status != "ok"]
    skipped_note = W.AGG_SKIPPED.format(names="、".join(f"{r.report.body}{r.report.year}年" for r in skipped))
    if skipped:
        warnings.append(skipped_note)
    if measure.table == "二" and any(r.column != measure.column for r in good):  # the other format's column
        warnings.append(W.AGG_COLUMNS_READ.format(parts="，".join(
            f"{r.report.body}{r.report.year}年 {read}" for r, read in zip(good, column_labels(tables, good, "二")))))
    year = year or (reports[0].year if reports else "")
    warnings += _broken(tables, good, query)
    if not good:
        text = W.AGG_NONE.format(year=year) if year else W.AGG_NONE_NAMED
        return Answer(question, "none", text, warnings=tuple(warnings))
    money = is_money(measure)
    if money and (unstated := [r for r in good if r.unit not in _IN_WAN]):
        warnings.append(W.AGG_UNIT_UNSTATED.format(parts="，".join(
            f"{r.report.body} {fmt_number(r.value)}" for r in unstated)))
        good = [r for r in good if r.unit in _IN_WAN]
        if not good:
            return Answer(question, "aggregate", W.AGG_NO_UNITS.format(year=year, label=label), None, None, None,
                          year if isinstance(year, int) else None, _citations(tables, unstated, query),
                          tuple(warnings))
    unit = good[0].unit if len({r.unit for r in good}) == 1 else None
    if money and len({r.unit for r in good}) > 1 and operation_is_not_sum(query):
        warnings.append("各报告的金额单位不同（" + "、".join(sorted({r.unit or W.UNIT_UNSTATED for r in good})) + "），"
                        "比较时按万元折算。")
    scope = f"各{query.scope}" if query.scope else "各机关"
    if query.place:
        scope = f"{query.place}{scope}"
    several_years = len({r.report.year for r in good}) > 1
    one_body = len({r.report.body for r in good}) == 1

    def fmt(r: Tally) -> str:
        name = f"{r.report.year}年" if one_body and several_years else \
            r.report.body + (f"{r.report.year}年" if several_years else "")
        return f"{name} {shown(r.value, r.unit, money)}"

    def listed(rows: list[Tally], numbered: bool = False) -> str:
        """The first ``MAX_LISTED`` parts, then how many more: a sum over thousands of reports stays readable."""
        parts = [f"{i}. {fmt(r)}" if numbered else fmt(r) for i, r in enumerate(rows[:MAX_LISTED], 1)]
        more = f"……等共 {len(rows)} 份" if len(rows) > MAX_LISTED else ""
        return ("；" if numbered else "，").join(parts) + more

    operation = query.operation
    org = None
    chart = None
    unknown = [r for r in skipped if r.status == "unknown" or r.status == "missing"  # a cell that cannot be read,
               and r.report.table_state(measure.table) in ("missing", "incomplete")]  # or a table cut off or an image
    if unknown and operation in ("sum", "max", "min", "rank", "rank_min", "nth", "nth_min"):
        # a total or a ranking over cells some of which cannot be read is not known: no headline number
        ordered = sorted(good, key=lambda r: _comparable(r, money), reverse=True)
        what = "合计" if operation == "sum" else "排名"
        text = W.AGG_UNKNOWN_PARTS.format(year=year, scope=scope, label=label, n=len(unknown), what=what,
                                          names="、".join(f"{r.report.body}{r.report.year}年" for r in unknown),
                                          parts=listed(ordered))
        blank = [r for r in skipped if r not in unknown]
        warnings = [w for w in warnings if w != skipped_note]
        if blank:
            warnings.append(W.AGG_SKIPPED.format(names="、".join(f"{r.report.body}{r.report.year}年" for r in blank)))
        return Answer(question, "aggregate", text, None, None, None, year if isinstance(year, int) else None,
                      _citations(tables, ordered[:MAX_CITED], query), tuple(warnings))
    ranking = ("max", "min", "rank", "rank_min", "nth", "nth_min")
    if operation in ranking and (contradicted := _contradicted(tables, good, query, OWN_ROW_RULES)) \
            and not _ranking_holds(tables, good, contradicted, query, money):
        # a printed number its own row contradicts (总计 0, its columns 6) that could move what is asked: no headline
        ordered = sorted(good, key=lambda r: _comparable(r, money), reverse=True)
        text = W.AGG_RANK_CONTRADICTED.format(
            year=year, scope=scope, label=label, what="哪个最多" if operation == "max" else "哪个最少" if operation == "min"
            else "的排名", names="、".join(f"{c.reading.report.body}{c.reading.report.year}年" for c in contradicted),
            parts=listed(ordered))
        return Answer(question, "aggregate", text, None, None, None, year if isinstance(year, int) else None,
                      _citations(tables, ordered[:MAX_CITED], query), tuple(warnings))
    if operation in ranking:
        ascending = operation in ("min", "rank_min", "nth_min")
        ordered = sorted(good, key=lambda r: _comparable(r, money), reverse=not ascending)
        if operation.startswith("nth") and not 1 <= (query.top or 0) <= len(ordered):
            return Answer(question, "none", W.AGG_TOO_FEW.format(n=query.top, count=len(ordered), year=year, scope=scope,
                                                                label=label), warnings=tuple(warnings))
        top = ordered[query.top - 1] if operation.startswith("nth") else ordered[0]
        ties = [r for r in ordered if _comparable(r, money) == _comparable(top, money)]
        if len(ties) > 1:
            warnings.append("并列：" + "、".join(r.report.body for r in ties))
        if operation in ("rank", "rank_min"):
            shown_rows = ordered[: query.top] if query.top else ordered
            template = W.AGG_RANK if operation == "rank" else W.AGG_RANK_MIN
            text = template.format(year=year, scope=scope, label=label, parts=listed(shown_rows, numbered=True))
            good = shown_rows
        elif operation.startswith("nth"):
            template = W.AGG_NTH if operation == "nth" else W.AGG_NTH_MIN
            text = template.format(year=year, scope=scope, label=label, n=query.top, body=top.report.body,
                                   value=shown(top.value, top.unit, money), parts=listed(ordered, numbered=True))
        else:
            if len({r.report.body for r in ordered}) == 1 and len(ordered) > 1:  # 哪一年最多: one body's years
                template = W.AGG_MAX_YEAR if operation == "max" else W.AGG_MIN_YEAR
                text = template.format(body=top.report.body, label=label, year=top.report.year,
                                       value=shown(top.value, top.unit, money), parts=listed(ordered))
            else:
                template = W.AGG_MAX if operation == "max" else W.AGG_MIN
                text = template.format(year=year, scope=scope, label=label, body=top.report.body,
                                       value=shown(top.value, top.unit, money), unit_scope=query.scope or "机关",
                                       parts=listed(ordered))
        value, org, unit = top.value, top.report.body, top.unit
        drawn = good if operation in ("rank", "rank_min") else ordered
        years_of_one = len({r.report.body for r in drawn}) == 1
        chart = _chart("bar", (f"{org}历年{label}" if years_of_one else
                        f"{year}年{scope}{label}" + ("排名" if operation.startswith("rank") else "")), drawn,
                       (lambda r: f"{r.report.year}年") if years_of_one else (lambda r: r.report.body), unit, money)
    elif operation == "compare":
        text = W.AGG_COMPARE.format(label=label, parts="；".join(f"{r.report.body}{r.report.year}年 "
                                                              f"{shown(r.value, r.unit, money)}" for r in good))
        value, org = good[0].value, good[0].report.body
        one_year = len({g.report.year for g in good}) == 1
        chart = _chart("bar", (f"{good[0].report.year}年" if one_year else "") + f"{label}对比", good,
                       lambda r: r.report.body if one_year else f"{r.report.body}{r.report.year}年", unit, money)
        if query.difference and len(good) == 2 and good[0].unit == good[1].unit:  # A比B多多少: A − B
            value = good[0].value - good[1].value
            text += _difference(good[0], good[1], value, money)
        elif query.difference:
            value = None
            text += W.AGG_NO_DIFFERENCE
    elif operation == "trend":
        ordered = sorted(good, key=lambda r: r.report.year)
        text = W.AGG_TREND.format(body=ordered[0].report.body, label=label,
                                  parts="，".join(f"{r.report.year}年 {shown(r.value, r.unit, money)}" for r in ordered))
        value, org, year = ordered[-1].value, ordered[-1].report.body, ordered[-1].report.year
        # a year with no point says why: its number cannot be read, or no report of it is held
        why = {r.report.year: W.CHART_GAP.get(r.status, W.CHART_GAP["unknown"]) for r in skipped}
        read = {r.report.year for r in ordered}
        first, last = min(read | why.keys()), max(read | why.keys())
        chart = _chart("line", f"{org}{first}—{last}年{label}", ordered, lambda r: f"{r.report.year}年", unit, money)
        if chart is not None:
            chart = replace(chart, gaps=tuple((f"{y}年", why.get(y, W.CHART_NOT_HELD)) for y in range(first, last + 1)
                                              if y not in read))
        if query.difference and len(ordered) >= 2 and ordered[-1].unit == ordered[-2].unit:  # 比去年多多少
            value = ordered[-1].value - ordered[-2].value
            text += _difference(ordered[-1], ordered[-2], value, money)
        elif query.difference:  # a difference asked, one year readable: no number answers it
            value = None
            text += W.AGG_ONE_YEAR_ONLY if len(ordered) < 2 else W.AGG_NO_DIFFERENCE
    elif operation == "list":  # no body named and no total asked: each body's number, no headline
        text = W.AGG_LIST.format(year=year, scope=scope, label=label, parts=listed(good))
        value = None
        chart = _chart("bar", f"{year}年{scope}{label}", sorted(good, key=lambda r: _comparable(r, money), reverse=True),
                       lambda r: r.report.body, unit, money)
    else:
        if money and len({r.unit for r in good}) > 1:  # 万元 and 元: summed in 万元, each as the report states it
            value, unit = sum(_comparable(r, money) for r in good), "万元"
            text = W.AGG_SUM.format(year=year, scope=scope, label=label, value=shown(round(value, 6), unit, money),
                                    n=len(good), parts=listed(good)) + W.AGG_IN_WAN
        elif one_body and several_years:  # one body over its years: 2020—2023年合计
            value = sum(r.value for r in good)
            years = sorted(r.report.year for r in good)
            text = W.AGG_SUM_YEARS.format(body=good[0].report.body, first=years[0], last=years[-1], label=label,
                                          value=shown(value, unit, money), n=len(good),
                                          parts=listed(sorted(good, key=lambda r: r.report.year)))
        else:
            value = sum(r.value for r in good)
            text = W.AGG_SUM.format(year=year, scope=scope, label=label, value=shown(value, unit, money), n=len(good),
                                    parts=listed(good))
        # a printed number its own row contradicts: no known total
        if contradicted := _contradicted(tables, good, query, OWN_ROW_RULES):
            names = "、".join(f"{c.reading.report.body}{c.reading.report.year}年" for c in contradicted)
            text = W.AGG_SUM_CONTRADICTED.format(year=f"{year}年" if year and not (one_body and several_years) else "",
                                                 scope=scope if not one_body else good[0].report.body, label=label,
                                                 names=names, parts=listed(good),
                                                 value=shown(round(value, 6), unit, money))
            value = None
    return Answer(question, "aggregate", text, value, unit, org, year if isinstance(year, int) else None,
                  _citations(tables, good[:MAX_CITED], query), tuple(warnings), chart=chart)
