"""Files in, stored reports out: the one place the write path touches the file system."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dataclasses import replace

from .errors import NianbaoError, ReadError, UnidentifiedReport
from .model import Report
from .readers import SUPPORTED_SUFFIXES
from .report import parse_bytes
from .store import Store

__all__ = ["FileOutcome", "collect_files", "ingest_file"]


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    status: str  # added | replaced | reparsed | unchanged | failed
    report: Report | None = None
    error: str | None = None
    replaced_source: str | None = None
    unidentified: bool = False  # an excerpt naming no body or year: worth a second try once the others are in


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and the report files inside folders (recursively, hidden files skipped), in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        else:
            found.append(path)
    return found


def ingest_file(path: Path, store: Store) -> FileOutcome:
    """Read, parse and store one file. Errors are returned as a one-line message, never raised."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return FileOutcome(path, "failed", error=f"{path.name}：文件不存在。")
    except IsADirectoryError:
        return FileOutcome(path, "failed", error=f"{path.name}：这是一个文件夹，不是文件。")
    except OSError as e:
        return FileOutcome(path, "failed", error=f"{path.name}：无法读取文件（{e.strerror or e}），请检查文件权限。")
    sha256 = hashlib.sha256(data).hexdigest()
    if store.has_file(sha256):
        return FileOutcome(path, "unchanged")
    try:
        try:
            report = parse_bytes(data, path.name)
        except UnidentifiedReport as e:
            found = store.identify(e.partial)
            if found is None:
                return FileOutcome(path, "failed", error=str(e), unidentified=True)
            report = replace(e.partial, body=found[0], body_full=found[0], year=found[1], part="excerpt")
        result = store.write(report, sha256)
    except NianbaoError as e:
        return FileOutcome(path, "failed", error=str(e))
    except RecursionError:  # pathological nesting in an HTML page
        return FileOutcome(path, "failed", error=str(ReadError(f"{path.name}：文件结构嵌套过深，无法解析。")))
    return FileOutcome(path, result.status, report, replaced_source=result.replaced_source)

