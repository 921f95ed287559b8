"""The consistency overview and one report's health sheet, read from the store.

``summary`` ranks the bodies by what is wrong in their reports (``python -m ingest check --summary``, /check);
``sheet`` tells one report's state (``python -m ingest check 机关 年度 --sheet``, /check 机关 年度). Both are pure
reads of the store into frozen objects; ``render_summary`` and ``render_sheet`` turn those into short Chinese
lines, so the command line and the chat say the same thing.

What counts as wrong, in the order bodies are ranked: rules of the template that the report's own numbers break
(the findings of ``ingest.checks``, cross-year ones included), statistics tables missing from the text or cut off,
then cells that could not be read (unknown) or that the report does not have (a template row absent, its cells
blank). Nothing here judges the parser or corrects the report.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .checks import evaluate_rules, fmt_number, row_display
from .model import NO_SUCH_ROW, Cell, Finding
from .store import Store
from .template import TABLE2_2021, TABLE3, TABLE4

__all__ = ["Place", "TableGap", "BodyHealth", "Overview", "CellCounts", "CarryOver", "HealthSheet",
           "summary", "sheet", "sheets", "render_summary", "render_sheet"]

# places that are rules rather than rows: the one rule of table 三 that spans four rows (一 + 二 = （七）总计 + 四),
# and 上年结转 against the year before's report
BALANCE, ACROSS = "balance", "carried_over_across_years"
_RULE_PLACES = {BALANCE: "表三新收＋结转＝办理结果＋结转下年", ACROSS: "表三上年结转与上年报告"}
_TABLES = ("二", "三", "四")
_GAP = ("missing", "incomplete")
_Held = list[tuple[str, int, dict[str, str], str]]  # a body's reports: (id, year, table states, part)


@dataclass(frozen=True)
class Place:
    """A table row (or the rule that spans rows) where problems gather."""

    table: str
    key: str  # the row key, or a rule's place (BALANCE, ACROSS)
    label: str  # as people cite it: 表三（七）总计
    failed: int = 0  # rules broken there
    unknown: int = 0  # cells there that could not be read
    reports: int = 0  # reports with a problem there


@dataclass(frozen=True)
class TableGap:
    year: int
    table: str  # 二 / 三 / 四
    state: str  # missing (not in the text: cut, or an image) | incomplete (the text stops inside it)


@dataclass(frozen=True)
class BodyHealth:
    """One body over the years held (or the year asked)."""

    body: str
    years: tuple[int, ...]
    failed: int  # rules broken, all years
    failed_years: tuple[tuple[int, int], ...]  # (year, rules broken) for each year with any
    gaps: tuple[TableGap, ...]
    unknown: int  # cells that could not be read
    missing_rows: tuple[tuple[int, str], ...]  # (year, row label) of template rows a report does not have
    missing_cells: int  # the cells of those rows
    worst: tuple[Place, ...]  # where its broken rules and unknown cells are, worst first (at most three)

    @property
    def troubled(self) -> bool:
        return bool(self.failed or self.gaps or self.unknown or self.missing_cells)


@dataclass(frozen=True)
class Overview:
    year: int | None  # the year looked at; None: every year
    reports: int
    bodies: int
    troubled: int  # bodies with any problem
    ranked: tuple[BodyHealth, ...]  # the worst ``top`` of them, worst first
    failed: int  # totals over every body, not only the ranked ones
    gaps: int
    unknown: int
    missing_rows: int
    worst_rows: tuple[Place, ...]  # the rows with problems in more than one report, in the most reports first


@dataclass(frozen=True)
class CellCounts:
    total: int
    stated: int  # read as printed
    derived: int  # numbers run together, placed by the only split or by the arithmetic (split, arithmetic, repeats)
    blank: int  # empty, a dash, or a row the report does not have
    unknown: int  # could not be placed


@dataclass(frozen=True)
class CarryOver:
    """二、上年结转 of ``year`` against 四、结转下年度继续办理 of ``year − 1`` (table 三, 总计 column). A state is
    stated, blank, unknown or absent (the report has no such cell, e.g. no table 三)."""

    year: int
    carried_over: float | None
    carried_over_state: str
    carried_forward: float | None  # the year before's
    carried_forward_state: str

    @property
    def agrees(self) -> bool | None:
        """None when either number is not stated."""
        if self.carried_over is None or self.carried_forward is None:
            return None
        return abs(self.carried_over - self.carried_forward) <= 1e-6


@dataclass(frozen=True)
class HealthSheet:
    report_id: str
    body: str
    year: int
    format: str
    part: str  # full | excerpt
    source: str
    tables: tuple[tuple[str, str], ...]  # (table, complete | incomplete | missing)
    missing_rows: tuple[tuple[str, str], ...]  # (table, row label) the report does not have
    cells: CellCounts
    unknown_rows: tuple[Place, ...]
    rules_checked: int  # this year's rules with every cell known, and the cross-year ones that could be compared
    findings: tuple[Finding, ...]  # the rules broken, as stored (cross-year ones included)
    carried_in: CarryOver | None  # from the year before; None: no report of that year held
    carried_out: CarryOver | None  # into the year after; None: no report of that year held

    @property
    def rules_failed(self) -> int:
        return len(self.findings)


# --- reading ------------------------------------------------------------------------------------------------
def _short(table: str, key: str, label: str) -> str:
    """表三（二）部分公开, 表三（六）1.申请人无正当理由逾期不补正: the row as cited, without the template's asides."""
    if key in _RULE_PLACES:
        return _RULE_PLACES[key]
    text = re.sub(r"（[^（）]*，[^（）]*）$", "", row_display(key, label))  # （区分处理的，只计这一情形，…）
    text = re.sub(r"^[一二三四]、", "", text).replace("政府信息公开申请数量", "申请")  # 一、本年新收… → 本年新收申请
    cut = text.find("、", 4)
    return f"表{table}{text[:cut] if cut > 0 else text}"


def _template_label(table: str, key: str) -> str:
    spec = {"二": TABLE2_2021, "三": TABLE3, "四": TABLE4}[table]
    try:
        return spec.row(key).label
    except KeyError:
        return key


def _place_of(finding_rule: str, refs: list[str]) -> tuple[str, str] | None:
    """(table, row key) a finding is told at: the row of its total cell (the last one named), or a rule's place."""
    if finding_rule in ("t3_balance", "t3_across_years"):
        return ("三", BALANCE if finding_rule == "t3_balance" else ACROSS)
    if not refs:
        return None
    table, row, _ = refs[-1].split("/", 2)
    return table, row


def _scope(bodies: list[str] | None, year: int | None) -> tuple[str, list]:
    """The WHERE clause on ``reports r`` for these bodies (None: all) in this year (None: all)."""
    where, params = ["1"], []
    if bodies is not None:
        where.append(f"r.body IN ({','.join('?' * len(bodies))})")
        params += bodies
    if year is not None:
        where.append("r.year = ?")
        params.append(year)
    return " AND ".join(where), params


class _Labels:
    """Row labels as the reports store them (table 二's differ between formats), the template's as a fallback."""

    def __init__(self, store: Store):
        self.conn, self.known = store.conn, {}

    def __call__(self, report_id: str, table: str, key: str) -> str:
        if (report_id, table, key) not in self.known:
            row = None if key in _RULE_PLACES else self.conn.execute(
                "SELECT row_label FROM cells WHERE report_id = ? AND tbl = ? AND row_key = ? LIMIT 1",
                (report_id, table, key)).fetchone()
            label = row[0] if row else "" if key in _RULE_PLACES else _template_label(table, key)
            self.known[(report_id, table, key)] = _short(table, key, label)
        return self.known[(report_id, table, key)]


def summary(store: Store, top: int = 20, bodies: list[str] | None = None, year: int | None = None) -> Overview:
    """Bodies ranked by rules broken, then tables missing or cut off, then cells unknown or missing; those with
    nothing wrong are counted, not ranked. ``bodies`` and ``year`` narrow the look (None: all)."""
    where, params = _scope(bodies, year)
    reports = store.conn.execute(f"SELECT id, body, year, tables, part FROM reports r WHERE {where}"
                                 " ORDER BY body, year", params).fetchall()
    labels = _Labels(store)
    # per report and place: [rules broken, unknown cells]
    at: dict[str, dict[tuple[str, str], list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    failed: Counter = Counter()
    for rid, rule, refs in store.conn.execute(
            f"SELECT f.report_id, f.rule, f.cells FROM findings f JOIN reports r ON r.id = f.report_id WHERE {where}",
            params):
        failed[rid] += 1
        if place := _place_of(rule, json.loads(refs)):
            at[rid][place][0] += 1
    unknown: Counter = Counter()
    missing: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for rid, table, key, status, cells in store.conn.execute(
            f"SELECT c.report_id, c.tbl, c.row_key, c.status, COUNT(*) FROM cells c JOIN reports r"
            f" ON r.id = c.report_id WHERE {where} AND (c.status = 'unknown' OR c.warning = ?)"
            " GROUP BY c.report_id, c.tbl, c.row_key, c.status", params + [NO_SUCH_ROW]):
        if status == "unknown":
            unknown[rid] += cells
            at[rid][(table, key)][1] += cells
        else:
            missing[rid].append((table, key, cells))

    per_body: dict[str, _Held] = defaultdict(list)
    for rid, body, y, tables, part in reports:
        per_body[body].append((rid, y, json.loads(tables or "{}"), part))
    healths = [_body_health(body, held, failed, unknown, missing, at, labels) for body, held in per_body.items()]
    troubled = sorted((h for h in healths if h.troubled),
                      key=lambda h: (-h.failed, -len(h.gaps), -(h.unknown + h.missing_cells), h.body))
    return Overview(year, len(reports), len(per_body), len(troubled), tuple(troubled[:top]),
                    sum(h.failed for h in troubled), sum(len(h.gaps) for h in troubled),
                    sum(h.unknown for h in troubled), sum(len(h.missing_rows) for h in troubled),
                    _merge(((rid, p, n) for rid, places in at.items() for p, n in places.items()), labels,
                           key=lambda p: (-p.reports, -p.failed, -p.unknown, p.label), shared=True)[:5])


def _body_health(body: str, held: _Held, failed: Counter, unknown: Counter,
                 missing: dict[str, list[tuple[str, str, int]]], at: dict, labels: _Labels) -> BodyHealth:
    ids = [rid for rid, *_ in held]
    by_year = Counter()
    for rid, y, _, _ in held:
        by_year[y] += failed[rid]
    gaps = tuple(TableGap(y, t, tables[t]) for _, y, tables, part in held if part == "full"
                 for t in _TABLES if tables.get(t, "missing") in _GAP)
    # rows missing from a table that is there in full: an excerpt lacks rows by nature, a table cut off is a gap
    lacking = {rid: [(t, key, n) for t, key, n in missing.get(rid, ()) if tables.get(t) == "complete"]
               for rid, _, tables, part in held if part == "full"}
    missing_rows = tuple((y, labels(rid, t, key)) for rid, y, _, _ in held for t, key, _ in lacking.get(rid, ()))
    worst = _merge(((rid, p, n) for rid in ids for p, n in at.get(rid, {}).items()), labels,
                   key=lambda p: (-p.failed, -p.unknown, -p.reports, p.label))[:3]
    return BodyHealth(body, tuple(sorted({y for _, y, _, _ in held})), sum(by_year.values()),
                      tuple(sorted((y, n) for y, n in by_year.items() if n)), gaps, sum(unknown[r] for r in ids),
                      missing_rows, sum(n for rows in lacking.values() for _, _, n in rows), worst)


def _merge(items: Iterable[tuple[str, tuple[str, str], list[int]]], labels: _Labels, key: Callable[[Place], tuple],
           shared: bool = False) -> tuple[Place, ...]:
    """Places summed over reports: rules broken, unknown cells, and in how many reports (``shared``: only those
    in more than one, a pattern rather than one report's slip)."""
    sums: dict[tuple[str, str], list] = {}
    for rid, (table, row), (broken, cells) in items:
        if not broken and not cells:
            continue
        entry = sums.setdefault((table, row), [labels(rid, table, row), 0, 0, 0])
        entry[0] = min(entry[0], labels(rid, table, row), key=len)  # 规范性文件 for 行政规范性文件 too
        entry[1] += broken
        entry[2] += cells
        entry[3] += 1
    return tuple(sorted((Place(t, k, *v) for (t, k), v in sums.items() if v[3] > 1 or not shared), key=key))


def sheets(store: Store, bodies: list[str], year: int | None = None) -> tuple[HealthSheet, ...]:
    """The health sheet of every report of ``bodies`` (in ``year``, or every year), a full report before an
    excerpt of the same year."""
    where, params = _scope(bodies, year)
    ids = store.conn.execute(f"SELECT id FROM reports r WHERE {where} ORDER BY body, year, part = 'excerpt'",
                             params).fetchall()
    return tuple(sheet(store, rid) for (rid,) in ids)


def sheet(store: Store, report_id: str) -> HealthSheet:
    """One report: its tables, how its cells were read, the rules checked and broken, and how its carried-over
    requests meet the neighbouring years' reports."""
    body, year, fmt, part, source, tables = store.conn.execute(
        "SELECT body, year, format, part, source, tables FROM reports WHERE id = ?", (report_id,)).fetchone()
    cells = store.cells(report_id)
    states = json.loads(tables or "{}")
    labels = _Labels(store)
    by_status = Counter("derived" if c.status == "ok" and c.how != "stated" else c.status for c in cells)
    counts = CellCounts(len(cells), by_status["ok"], by_status["derived"], by_status["blank"], by_status["unknown"])
    unknown = Counter((c.table, c.row_key) for c in cells if c.status == "unknown")
    unknown_rows = tuple(sorted((Place(t, k, labels(report_id, t, k), 0, n, 1) for (t, k), n in unknown.items()),
                                key=lambda p: (-p.unknown, p.label)))
    missing = tuple(dict.fromkeys((c.table, labels(report_id, c.table, c.row_key)) for c in cells
                                  if c.warning == NO_SUCH_ROW))
    findings = tuple(Finding(rule, message, tuple(json.loads(refs))) for rule, message, refs in store.conn.execute(
        "SELECT rule, message, cells FROM findings WHERE report_id = ? ORDER BY rowid", (report_id,)))
    before, after = (_neighbour(store, body, year + step) for step in (-1, 1))
    previous = store.cells(before) if before else None
    checked = evaluate_rules(body, year, cells)[1] + (_across_checked(cells, previous) if previous else 0)
    return HealthSheet(report_id, body, year, fmt, part, source, tuple((t, states.get(t, "missing")) for t in _TABLES),
                       missing, counts, unknown_rows, checked, findings,
                       _carry(year, cells, previous) if previous is not None else None,
                       _carry(year + 1, store.cells(after), cells) if after else None)


def _neighbour(store: Store, body: str, year: int) -> str | None:
    row = store.conn.execute("SELECT id FROM reports WHERE body = ? AND year = ? ORDER BY part = 'excerpt'",
                             (body, year)).fetchone()
    return row[0] if row else None


def _reading(cells: dict, key: tuple[str, str, str]) -> tuple[float | None, str]:
    cell = cells.get(key)
    if cell is None:
        return None, "absent"
    return cell.value, "stated" if cell.status == "ok" and cell.value is not None else cell.status


def _carry(year: int, now: list[Cell], before: list[Cell]) -> CarryOver:
    grid = {(c.table, c.row_key, c.col_key): c for c in now}
    prior = {(c.table, c.row_key, c.col_key): c for c in before}
    return CarryOver(year, *_reading(grid, ("三", "carried_over", "total")),
                     *_reading(prior, ("三", "carried_forward", "total")))


def _across_checked(now: list[Cell], before: list[Cell]) -> int:
    """How many cross-year rules could be compared: the conditions of ``checks.check_across_years``."""
    grid = {(c.table, c.row_key, c.col_key): c.value for c in now}
    prior = {(c.table, c.row_key, c.col_key): c.value for c in before}
    known = lambda cells, *key: cells.get(key) is not None  # noqa: E731
    checked = known(grid, "三", "carried_over", "total") and known(prior, "三", "carried_forward", "total")
    for row in ("regulations", "normative_documents"):
        checked += all(known(grid, "二", row, col) for col in ("in_force", "issued", "repealed")) \
            and known(prior, "二", row, "in_force")
    return int(checked)


# --- rendering ------------------------------------------------------------------------------------------------
def _years(pairs: Iterable[tuple[int, int]], unit: str) -> str:
    return "，".join(f"{y}年 {n} {unit}" for y, n in pairs)


def _place_text(p: Place) -> str:
    bits = ([f"{p.failed} 条不成立"] if p.failed else []) + ([f"{p.unknown} 格无法确定"] if p.unknown else [])
    return f"{p.label}（{'，'.join(bits)}）"


def _gaps_text(gaps: tuple[TableGap, ...]) -> str:
    """2020年缺表二、表三，2021年表四不完整."""
    by_year: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for g in gaps:
        by_year[g.year][g.state].append(f"表{g.table}")
    said = {"missing": "缺{}", "incomplete": "{}不完整"}
    return "，".join(f"{y}年" + "、".join(said[state].format("、".join(names)) for state, names in states.items())
                    for y, states in by_year.items())


def _body_line(rank: int, h: BodyHealth) -> list[str]:
    parts = []
    if h.failed:
        when = ("" if len(h.years) == 1 else f"（{h.failed_years[0][0]}年）" if len(h.failed_years) == 1
                else f"（{_years(h.failed_years, '条')}）")
        parts.append(f"{h.failed} 条勾稽关系不成立{when}")
    if h.gaps:
        parts.append(_gaps_text(h.gaps))
    inline = not h.failed and len(h.worst) == 1  # one place: said on the line, not under it
    if h.unknown:
        parts.append(f"{h.unknown} 个单元格无法确定" + (f"（{h.worst[0].label}）" if inline else ""))
    if h.missing_rows:
        years: dict[str, list[int]] = defaultdict(list)
        for y, label in h.missing_rows:
            years[label].append(y)
        parts.append("、".join(f"{'、'.join(map(str, ys))}年缺{label}一行" for label, ys in years.items())
                     if len(years) <= 2 else f"缺 {len(h.missing_rows)} 行")
    years = h.years[0] if len(h.years) == 1 else f"{h.years[0]}—{h.years[-1]}"
    lines = [f"{rank}. {h.body}（{years}年，{len(h.years)} 份）：{'，'.join(parts)}。" if len(h.years) > 1
             else f"{rank}. {h.body}（{years}年）：{'，'.join(parts)}。"]
    if h.worst and not inline:
        lines.append("   问题出在" + "、".join(_place_text(p) for p in h.worst))
    return lines


def render_summary(overview: Overview) -> list[str]:
    """The overview as short lines: a heading, the ranked bodies (each with where its problems are), the rows
    with problems in the most reports, and a total."""
    o = overview
    scope = f"{o.year}年的" if o.year else ""
    if not o.reports:
        return [f"库中还没有{scope}年度报告。"]
    if not o.troubled:
        return [f"{o.bodies} 个机关的 {o.reports} 份{scope}报告都没有发现问题：勾稽关系成立，统计表齐全，单元格都已读出。"]
    shown = f"，下面是问题最多的 {len(o.ranked)} 个" if len(o.ranked) < o.troubled else ""
    lines = [f"{o.bodies} 个机关的 {o.reports} 份{scope}报告中，{o.troubled} 个机关的报告有问题{shown}。",
             "排序先看勾稽关系不成立的条数，再看缺表，再看无法确定（原文数字连写，分不出各列）或缺行的单元格。"]
    for rank, health in enumerate(o.ranked, 1):
        lines += _body_line(rank, health)
    if o.worst_rows:
        lines.append("多份报告出问题的表格行：")
        lines += [f"· {p.label}：{p.reports} 份报告，" + "，".join(
            ([f"{p.failed} 条不成立"] if p.failed else []) + ([f"{p.unknown} 格无法确定"] if p.unknown else []))
            for p in o.worst_rows]
    totals = [f"勾稽关系不成立 {o.failed} 条"] + ([f"缺表或表不完整 {o.gaps} 张"] if o.gaps else []) + \
        ([f"无法确定的单元格 {o.unknown} 个"] if o.unknown else []) + ([f"缺 {o.missing_rows} 行"] if o.missing_rows else [])
    rest = o.bodies - o.troubled
    lines.append(f"合计：{'，'.join(totals)}" + (f"；其余 {rest} 个机关未见问题。" if rest else "。"))
    return lines


def _said(label: str, value: float | None, state: str) -> str:
    """上年结转 3 件, 上年结转未填, 上年结转无法确定, 没有上年结转的数."""
    if state == "stated":
        return f"{label} {fmt_number(value)} 件"
    return f"没有{label}的数" if state == "absent" else f"{label}{'无法确定' if state == 'unknown' else '未填'}"


def _carry_lines(s: HealthSheet) -> list[str]:
    """How this report's 上年结转 meets the year before's 结转下年度, and its 结转下年度 the year after's 上年结转."""
    if dict(s.tables).get("三") == "missing":
        return ["没有表三，上年结转和结转下年度都无从对照。"]
    lines = []
    c = s.carried_in
    if c is None:
        lines.append(f"上年结转：库中没有{s.year - 1}年的报告，无从对照。")
    else:
        now, then = _said("上年结转", c.carried_over, c.carried_over_state), c.year - 1
        lines.append(f"{now}，与{then}年报告的结转下年度一致。" if c.agrees else
                     f"{now}，{then}年报告却写结转下年度 {fmt_number(c.carried_forward)} 件，对不上。"
                     if c.agrees is False else
                     f"{now}，{then}年报告{_said('结转下年度', c.carried_forward, c.carried_forward_state)}，无从对照。")
    c = s.carried_out
    if c is not None:  # only when the year after is held: the newest report would always say so
        now = _said("结转下年度", c.carried_forward, c.carried_forward_state)
        lines.append(f"{now}，{c.year}年报告的上年结转也是 {fmt_number(c.carried_over)} 件。" if c.agrees else
                     f"{now}，{c.year}年报告的上年结转却是 {fmt_number(c.carried_over)} 件，对不上。"
                     if c.agrees is False else
                     f"{now}，{c.year}年报告{_said('上年结转', c.carried_over, c.carried_over_state)}，无从对照。")
    return lines


def _tables_line(s: HealthSheet) -> str:
    states = dict(s.tables)
    if s.part == "excerpt":
        present = [f"表{t}" for t in _TABLES if states.get(t) != "missing"]
        return f"统计表：这是报告的节选，含{'、'.join(present) or '零星单元格'}。"
    missing_rows = defaultdict(list)
    for table, label in s.missing_rows:
        missing_rows[table].append(label.removeprefix(f"表{table}"))
    absent = [f"表{t}" for t in _TABLES if states.get(t, "missing") == "missing"]
    parts = []
    for t in _TABLES:
        rows = missing_rows[t]
        if states.get(t, "missing") == "missing":
            if f"表{t}" == absent[0]:
                parts.append(f"{'、'.join(absent)}不在文本中（可能截去或是图片）")
        elif states.get(t) == "incomplete":
            parts.append(f"表{t}不完整（文本在表中截断，缺 {len(rows)} 行）")
        elif rows:
            parts.append(f"表{t}缺" + ("、".join(f"“{r}”" for r in rows) + "一行" * (len(rows) == 1)
                                       if len(rows) <= 2 else f" {len(rows)} 行"))
    if not parts:
        return "统计表：表二、表三、表四齐全。"
    present = [f"表{t}" for t in _TABLES if states.get(t) == "complete"]
    head = f"{'、'.join(present)}都在；" if present and not absent and len(present) == 3 else ""
    return f"统计表：{head}{'；'.join(parts)}。"


def _cells_line(s: HealthSheet) -> str:
    c = s.cells
    if not c.total:
        return "单元格：没有读到统计表的单元格。"
    parts = ([f"原样读出 {c.stated} 个"] if c.stated else []) + \
        ([f"由连写的数字拆出 {c.derived} 个"] if c.derived else []) + ([f"空白 {c.blank} 个"] if c.blank else [])
    if c.unknown:
        by_table: dict[str, list[str]] = defaultdict(list)
        for p in s.unknown_rows[:3]:
            by_table[p.table].append(p.label.removeprefix(f"表{p.table}"))
        where = "、".join(f"表{t}" + "、".join(labels) for t, labels in by_table.items())
        rows = f"等 {len(s.unknown_rows)} 行" if len(s.unknown_rows) > 3 else "一行" if len(s.unknown_rows) == 1 else ""
        parts.append(f"无法确定 {c.unknown} 个（在{where}{rows}）")
    return f"单元格 {c.total} 个：{'，'.join(parts)}。"


def _finding_text(s: HealthSheet, f: Finding) -> str:
    """The finding without the body and year its message starts with (the sheet's heading says them), a row
    named by its short label."""
    text = re.sub(rf"^\S+ {s.year} ", "", f.message)
    place = _place_of(f.rule, list(f.cells))
    if f.rule in ("t3_row_sum", "t4_group_sum") and place and "：" in text:
        label = _short(place[0], place[1], _template_label(*place))
        text = f"{label}：{text.split('：', 1)[1]}"
    return text


def render_sheet(s: HealthSheet, limit: int = 12) -> list[str]:
    """The sheet as short lines: which report, its tables, its cells, the rules checked and each one broken
    (``limit`` at most), and the carry-over between it and the neighbouring years."""
    excerpt = "（节选）" if s.part == "excerpt" else ""
    lines = [f"{s.body} {s.year}年年度报告{excerpt}，{s.format}版格式，文件 {s.source}", _tables_line(s), _cells_line(s)]
    if not s.rules_checked and not s.findings:
        lines.append("勾稽关系：没有能核对的规则（所需单元格缺失或无法确定）。")
    elif not s.findings:
        lines.append(f"勾稽关系：核对 {s.rules_checked} 条，全部成立。")
    else:
        lines.append(f"勾稽关系：核对 {max(s.rules_checked, s.rules_failed)} 条，{s.rules_failed} 条不成立：")
        lines += [f"· {_finding_text(s, f)}" for f in s.findings[:limit]]
        if s.rules_failed > limit:
            lines.append(f"……另有 {s.rules_failed - limit} 条")
    return lines + _carry_lines(s)
