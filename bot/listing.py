"""What /reports and /check list, for the Telegram chat and the console alike."""
from __future__ import annotations

from index.commands import check_args, check_scope
from ingest.config import Config
from ingest.store import Store

from .texts import T

__all__ = ["reports_text", "check_text", "check_args", "export_files", "MAX_EXPORT_ROWS"]

MAX_EXPORT_ROWS = 200_000  # about a thousand reports: a CSV of some 40 MB, under Telegram's 50 MB for a bot  # check_args: read as the ingest CLI reads them


def reports_text(config: Config) -> str:
    """The bodies held and their years."""
    if not config.paths.database.exists():
        return T.NO_REPORTS
    with Store(config.paths.database, readonly=True) as store:
        held = store.reports()
    if not held:
        return T.NO_REPORTS
    years: dict[str, list[str]] = {}
    for r in sorted(held, key=lambda r: (r["body"], r["year"], r.get("part") == "excerpt")):  # a full report first
        years.setdefault(r["body"], []).append(f"{r['year']}年" + _state(r))
    return "\n".join([T.REPORTS_HEAD.format(n=len(held))] +
                     [T.REPORT_LINE.format(body=body, years="、".join(ys)) for body, ys in sorted(years.items())])


def _state(report: dict) -> str:
    """"（节选；表三不完整，表四缺）" for a report that is an excerpt or whose tables are cut off or missing."""
    import json

    states = json.loads(report.get("tables") or "{}")
    notes = ["节选"] if report.get("part") == "excerpt" else []
    notes += [f"表{n}不完整" for n, s in states.items() if s == "incomplete"]
    notes += [f"未包含表{n}" for n, s in states.items() if s == "missing"]
    return f"（{'；'.join(notes)}）" if notes else ""


def check_text(config: Config, body: str | None, year: int | None, limit: int = 30) -> str:
    """/check: without a body the overview (bodies ranked by their problems); a body and a year, that report's
    health sheet; a body alone, its findings over the years."""
    from ingest import health

    if not config.paths.database.exists():
        return T.NO_REPORTS
    with Store(config.paths.database, readonly=True) as store:
        scope = check_scope(store.reports(), body, year)
        if scope.refusal:
            return scope.refusal
        if body is None:
            overview = health.summary(store, top=15, year=year)
            if not overview.reports:
                return T.NO_REPORTS
            return "\n".join(health.render_summary(overview) + ([T.CHECK_SHEET_HINT] if overview.troubled else []))
        if year is not None:
            sheets = health.sheets(store, scope.bodies, year)
            if sheets:
                return "\n\n".join("\n".join(health.render_sheet(one)) for one in sheets)
        found = store.findings(scope.bodies, year)
    if not found:
        named = "、".join(scope.bodies) if scope.bodies else "已收录的报告"
        return T.CHECK_NONE.format(scope=named + (f" {year}年" if year else ""))
    lines = [T.CHECK_HEAD.format(n=len(found))] + [f"· {finding.message}" for _, finding in found[:limit]]
    if len(found) > limit:
        lines.append(T.CHECK_MORE.format(n=len(found) - limit))
    return "\n".join(lines)


def export_files(config: Config, body: str | None, year: int | None) -> tuple[list, str] | str:
    """/export: the cells in scope written as CSV and XLSX in a new temporary folder (the caller removes them),
    with a line saying what they hold; or the one line saying why there is nothing to export."""
    import tempfile
    from pathlib import Path

    from index.export import export_rows, write_files
    from ingest.errors import NianbaoError

    if not config.paths.database.exists():
        return T.NO_REPORTS
    try:
        export = export_rows(config.paths.database, body=body, year=year)
    except NianbaoError as e:
        return str(e)
    if not len(export):
        return T.EXPORT_EMPTY
    if len(export) > MAX_EXPORT_ROWS:  # a province's every cell is no chat attachment
        return T.EXPORT_TOO_MANY.format(rows=len(export), limit=MAX_EXPORT_ROWS)
    folder = Path(tempfile.mkdtemp(prefix="nianbao-export-"))
    try:
        files = write_files(export, folder, formats=("csv", "xlsx"))
    except BaseException:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
        raise
    reports = len({(row.body, row.year) for row in export.rows})
    return files, T.EXPORT_DONE.format(rows=len(export), reports=reports)
