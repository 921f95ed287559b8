"""The reports folder's record of what a rebuild from it must know to serve what was served.

``.nianbao-ledger.json``, hidden in the folder (so it moves with it), holds two things:
- the files another file replaced (same body and year), with the digest of the file that replaced each; met in
  the folder while the file that replaced it (followed along a chain of corrections) is there too, such a file is
  not read back;
- the files stored from outside the folder, by digest and path: a rebuild reads them where they are.

A rebuild — ``/reindex``, a fresh deploy, a new schema — then serves the version that was served, not whichever
file sorts last. Writers (a CLI run, a bot upload) record what they did and replay it onto the file as it is when
they save, under a lock: one never undoes another's entries.
"""
from __future__ import annotations

import fcntl
import json
import os
import tempfile
import time
from pathlib import Path

from .pipeline import FileOutcome

__all__ = ["Ledger"]


def _within(path: Path, folder: Path) -> str | None:
    """``path`` relative to ``folder`` when it lies in it (a symlink in the folder counts as in it), else None."""
    for p, f in ((path.absolute(), folder.absolute()), (path.resolve(), folder.resolve())):
        try:
            return p.relative_to(f).as_posix()
        except ValueError:
            continue
    return None


class Ledger:
    NAME = ".nianbao-ledger.json"

    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / self.NAME
        self.entries, self.elsewhere = self._read()
        self._ops: list[tuple] = []
        self._present: set[str] | None = None

    def _read(self) -> tuple[dict[str, dict], dict[str, str]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        return dict(data.get("replaced", {})), dict(data.get("elsewhere", {}))

    def present(self, digests) -> None:
        """The digests of the files this run reads: a replaced file is left out only while its replacement is
        among them (renamed or not); a replacement gone or broken lets the older file be read again."""
        self._present = {d for d in digests if d}

    def replaced_by(self, path: Path, sha256: str) -> str | None:
        """The file that replaced this one (along a chain of corrections), when it is read in this run."""
        seen = {sha256}
        current = sha256
        while (entry := self.entries.get(current)) is not None:
            nxt = entry.get("by_sha256")
            if not nxt or nxt in seen:
                return None
            if self._present is not None and nxt in self._present or \
                    self._present is None and (self.folder / entry.get("by", "")).is_file():
                return entry.get("by")
            seen.add(nxt)
            current = nxt
        return None

    def files_elsewhere(self, held: set[str] | None = None) -> tuple[list[Path], list[str]]:
        """The files stored from outside the folder (but those whose digest is in ``held``) that are still where
        they were, and those that are not."""
        wanted = {sha: Path(p) for sha, p in self.elsewhere.items() if not held or sha not in held}
        return ([p for p in wanted.values() if p.is_file()],
                sorted(str(p) for p in wanted.values() if not p.is_file()))

    def note(self, outcome: FileOutcome, kept: Path | None = None) -> None:
        """A file stored (``kept``: where it lies now): the one it replaced is now an older version; itself is no
        longer one; a file from outside the folder is remembered where it is."""
        if outcome.status not in ("added", "replaced", "reparsed") or not outcome.sha256:
            return
        where = kept or outcome.path
        self._do(("pop_entry", outcome.sha256))
        inside = _within(where, self.folder)
        by = inside if inside is not None else str(where.resolve())
        self._do(("pop_elsewhere", outcome.sha256) if inside is not None else ("set_elsewhere", outcome.sha256, by))
        if outcome.status == "replaced" and outcome.replaced_sha256:
            self._do(("pop_elsewhere", outcome.replaced_sha256))
            self._do(("set_entry", outcome.replaced_sha256, {"name": outcome.replaced_source, "by": by,
                                                             "by_sha256": outcome.sha256, "at": round(time.time())}))

    def _do(self, op: tuple) -> None:
        """Apply ``op`` and keep it for ``save``, when it changes anything (a run that replaces nothing and reads
        nothing from outside the folder writes no record)."""
        before = (dict(self.entries), dict(self.elsewhere))
        self._apply(op, self.entries, self.elsewhere)
        if (self.entries, self.elsewhere) != before:
            self._ops.append(op)

    @staticmethod
    def _apply(op: tuple, entries: dict, elsewhere: dict) -> None:
        kind, sha = op[0], op[1]
        if kind == "pop_entry":
            entries.pop(sha, None)
        elif kind == "set_entry":
            entries[sha] = op[2]
        elif kind == "pop_elsewhere":
            elsewhere.pop(sha, None)
        elif kind == "set_elsewhere":
            elsewhere[sha] = op[2]

    def save(self) -> str | None:
        """Replay this writer's changes onto the record as it is now, under a lock, and write it atomically; a
        one-line warning when the folder cannot be written."""
        if not self._ops:
            return None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path.with_name(self.NAME + ".lock"), "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                entries, elsewhere = self._read()
                for op in self._ops:
                    self._apply(op, entries, elsewhere)
                fd, tmp = tempfile.mkstemp(prefix=".nianbao-ledger-", dir=self.path.parent)
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump({"replaced": entries, "elsewhere": elsewhere}, f, ensure_ascii=False, indent=1,
                              sort_keys=True)
                os.replace(tmp, self.path)
        except OSError as e:
            return f"无法写入报告文件夹的记录（{self.path}：{e.strerror or e}）；重建时可能读回旧版本。"
        self.entries, self.elsewhere = entries, elsewhere
        self._ops = []
        return None
