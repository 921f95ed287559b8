"""What /reports and /check list, for the Telegram chat and the console alike."""
from __future__ import annotations

from ingest.config import Config
from ingest.store import Store

from .texts import T

__all__ = ["reports_text", "check_text"]


def reports_text(config: Config) -> str:
    """The bodies held and their years."""
    if not config.paths.database.exists():
        return T.NO_REPORTS
    with Store(config.paths.database) as store:
        held = store.reports()
    if not held:
        return T.NO_REPORTS
    years: dict[str, list[str]] = {}
    for r in held:
        years.setdefault(r["body"], []).append(f"{r['year']}年")
    return "\n".join([T.REPORTS_HEAD.format(n=len(held))] +
                     [T.REPORT_LINE.format(body=body, years="、".join(ys)) for body, ys in sorted(years.items())])


def check_text(config: Config, body: str | None, year: int | None, limit: int = 30) -> str:
    """The consistency findings, for one body and year or all of them."""
    if not config.paths.database.exists():
        return T.NO_REPORTS
    with Store(config.paths.database) as store:
        found = store.findings(body, year)
    if not found:
        return T.CHECK_NONE.format(scope=" ".join(str(x) for x in (body, year) if x) or "已收录的报告")
    lines = [T.CHECK_HEAD.format(n=len(found))] + [f"· {finding.message}" for _, finding in found[:limit]]
    if len(found) > limit:
        lines.append(T.CHECK_MORE.format(n=len(found) - limit))
    return "\n".join(lines)
