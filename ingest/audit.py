"""Parse health of report files, without touching the store: ``python -m ingest audit``.

For each file: stored or refused (and why), body, year, format, each table's state, how its cells were read
(known as printed, split by the arithmetic, unknown, blank) and the template's rules checked and broken. The
summary's headline is the share of full reports whose table 三 is whole: every cell known or blank, every rule
holding. Excerpts that name no body are matched against the other files of the same run, as the store would.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from .checks import evaluate_rules
from .errors import NianbaoError, UnidentifiedReport
from .identity import MIN_EXCERPT_CELLS, stated_cells
from .model import Report
from .report import parse_bytes

__all__ = ["FileHealth", "audit_files", "summary"]


@dataclass(frozen=True)
class FileHealth:
    file: str
    stored: bool
    error: str | None = None
    body: str | None = None
    year: int | None = None
    format: str | None = None
    part: str | None = None
    tables: dict[str, str] = field(default_factory=dict)
    cells: dict[str, int] = field(default_factory=dict)  # how -> count (stated, split, arithmetic, repeats, …)
    rules_checked: int = 0
    rules_failed: int = 0
    findings: tuple[str, ...] = ()
    t3_whole: bool = False  # table 三 present, every cell known or blank, no rule of table 三 broken
    t3_problems: tuple[str, ...] = ()  # why not: unknown cells and broken rules of table 三

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


def _health(name: str, report: Report) -> FileHealth:
    findings, checked = evaluate_rules(report.body, report.year, report.cells)
    counts = Counter(c.how for c in report.cells)
    t3 = [c for c in report.cells if c.table == "三"]
    unknown = [f"{c.row_key}/{c.col_key}" for c in t3 if c.status == "unknown"]
    broken = [f.message for f in findings if f.rule.startswith("t3")]
    problems = ([f"{len(unknown)} 个单元格未知：" + "、".join(sorted({u.split('/')[0] for u in unknown}))]
                if unknown else []) + broken
    whole = bool(t3) and report.table_state("三") == "complete" and not problems
    return FileHealth(name, True, None, report.body, report.year, report.format, report.part, dict(report.tables),
                      dict(counts), checked, len(findings), tuple(f.message for f in findings), whole,
                      tuple(problems))


def _identify(partial: Report, reports: list[Report]) -> tuple[str, int] | None:
    stated = set(stated_cells(partial.cells))
    if len(stated) < MIN_EXCERPT_CELLS:
        return None
    matches = {(r.body, r.year) for r in reports
               if r.part == "full" and r.format == partial.format and stated <= set(stated_cells(r.cells))}
    return next(iter(matches)) if len(matches) == 1 else None


def audit_files(paths: list[Path]) -> list[FileHealth]:
    """Health of every file, in the order given."""
    results: dict[str, FileHealth] = {}
    parsed: list[Report] = []
    pending: list[tuple[str, UnidentifiedReport]] = []
    for path in paths:
        if path.exists() and not path.is_file():  # a FIFO or device would block the read forever
            results[path.name] = FileHealth(path.name, False, f"{path.name}：不是普通文件，跳过。")
            continue
        try:
            report = parse_bytes(path.read_bytes(), path.name)
        except UnidentifiedReport as e:
            pending.append((path.name, e))
            continue
        except (NianbaoError, OSError, RecursionError) as e:
            results[path.name] = FileHealth(path.name, False, str(e))
            continue
        parsed.append(report)
        results[path.name] = _health(path.name, report)
    for name, error in pending:
        found = _identify(error.partial, parsed)
        if found is None:
            results[name] = FileHealth(name, False, str(error))
        else:
            report = replace(error.partial, body=found[0], body_full=found[0], year=found[1], part="excerpt")
            results[name] = _health(name, report)
    return [results[p.name] for p in paths]


def summary(health: list[FileHealth]) -> dict:
    stored = [h for h in health if h.stored]
    full = [h for h in stored if h.part == "full"]
    whole = [h for h in full if h.t3_whole]
    cells = Counter()
    for h in stored:
        cells.update(h.cells)
    return {
        "files": len(health), "stored": len(stored), "refused": len(health) - len(stored),
        "full_reports": len(full), "excerpts": len(stored) - len(full),
        "table3_whole": len(whole), "table3_whole_share": round(len(whole) / len(full), 4) if full else None,
        "cells": dict(cells), "rules_checked": sum(h.rules_checked for h in stored),
        "rules_failed": sum(h.rules_failed for h in stored),
    }
