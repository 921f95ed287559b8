"""Files in, stored reports out: the one place the write path touches the file system."""
from __future__ import annotations

import collections
import concurrent.futures
import functools
import hashlib
import os
import queue
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import NianbaoError, UnidentifiedReport, reader_failure
from .model import Report
from .readers import MAX_BYTES, SUPPORTED_SUFFIXES
from .report import parse_bytes
from .safeout import UNPRINTABLE, printable_name
from .store import Store

if TYPE_CHECKING:
    from .ledger import Ledger

__all__ = ["Batch", "Checked", "FileOutcome", "Parsed", "check_file", "collect_files", "file_digest", "identified",
           "ingest_file", "parse_checked", "read_file", "read_files", "write_parsed", "printable_name", "UNPRINTABLE"]

@dataclass(frozen=True)
class FileOutcome:
    path: Path
    status: str  # added | replaced | reparsed | unchanged | superseded | failed
    report: Report | None = None
    error: str | None = None
    replaced_source: str | None = None  # replaced: the file it replaced; superseded: the file that holds it
    replaced_sha256: str | None = None
    sha256: str | None = None
    unidentified: bool = False  # an excerpt naming no body or year: worth a second try once the others are in


def file_digest(path: Path) -> str | None:
    """The file's SHA-256, read once per run (cached by path, size and time); None for what ``ingest_file``
    refuses without reading: a FIFO would block forever, a file over the size limit would be read whole."""
    try:
        info = path.stat()
        if not path.is_file() or info.st_size > MAX_BYTES:
            return None
        return _digest_of(str(path), info.st_size, info.st_mtime_ns)
    except OSError:
        return None


@functools.lru_cache(maxsize=65536)
def _digest_of(path: str, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


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


# files read ahead of the one handed back: more than a batch (``Batch.every``), so that the parsing children go on
# while the writer writes one; fewer when they are large (each file's bytes are held until it is parsed)
READ_AHEAD = 64
READ_AHEAD_BYTES = 128 * 2**20


@dataclass(frozen=True)
class Parsed:
    """A file read and parsed, not yet written: what ``write_parsed`` stores."""

    path: Path
    report: Report
    sha256: str
    explicit: bool = False
    tokens: tuple | None = None  # ``ingest.store.passage_tokens(report)``, when cut already (in the parsing child)


def ingest_file(path: Path, store: Store, explicit: bool = False, ledger: Ledger | None = None,
                parse: Callable[[bytes, str], Report] = parse_bytes) -> FileOutcome:
    """Read, parse and store one file (``read_file`` then ``write_parsed``). Errors are returned as a one-line
    message, never raised."""
    item = read_file(path, store, explicit, ledger, parse)
    return item if isinstance(item, FileOutcome) else write_parsed(item, store)


@dataclass(frozen=True)
class Checked:
    """A file read and found to be parsed: its bytes, not yet parsed (see ``check_file``)."""

    path: Path
    data: bytes
    sha256: str
    explicit: bool = False


def read_file(path: Path, store: Store, explicit: bool = False, ledger: Ledger | None = None,
              parse: Callable[[bytes, str], Report] = parse_bytes, with_tokens: bool = False) -> Parsed | FileOutcome:
    """Read and parse one file, writing nothing: the parsed report, or the outcome of a file that is not to be
    written (failed, unchanged, superseded), with its error as one line (``check_file``, ``parse_checked`` and
    ``identified`` in turn).

    ``explicit``: the file was named (given by path, uploaded), not met in a folder: an older version of a report
    is served again. ``ledger``: the reports folder's record of files another file replaced: met in the folder
    beside the file that replaced it, such a file is not stored (a rebuild serves what was served). ``parse``:
    ``ingest.sandbox.SandboxedParser().parse`` to parse in a child process under limits (``parse_with_tokens``
    with ``with_tokens``: the tokens cut there too)."""
    checked = check_file(path, store, explicit, ledger)
    return identified(parse_checked(checked, parse, with_tokens), store) if isinstance(checked, Checked) else checked


def check_file(path: Path, store: Store, explicit: bool = False, ledger: Ledger | None = None) -> Checked | FileOutcome:
    """The file read (its size checked first) and looked up: the outcome of one not to be parsed (unreadable,
    unchanged, superseded), else its bytes. Reads the store: call it where the store's connection is used."""
    try:
        info = path.stat()
        if path.is_dir():
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block or never end
            return FileOutcome(path, "failed", error=f"{path.name}：不是普通文件，跳过。")
        if info.st_size > MAX_BYTES:  # checked before reading: a huge file is never read whole
            return FileOutcome(path, "failed", error=f"{path.name}：文件有 {info.st_size / 2**20:.0f} MB，超过 "
                                                      f"{MAX_BYTES // 2**20} MB 上限；请拆分或压缩后再试。")
        data = path.read_bytes()
    except FileNotFoundError:
        return FileOutcome(path, "failed", error=f"{path.name}：文件不存在。")
    except IsADirectoryError:
        return FileOutcome(path, "failed", error=f"{path.name}：这是一个文件夹，不是文件。")
    except OSError as e:
        return FileOutcome(path, "failed", error=f"{path.name}：无法读取文件（{e.strerror or e}），请检查文件权限。")
    sha256 = hashlib.sha256(data).hexdigest()
    holder = store.served_by(sha256)
    if store.has_file(sha256) and not (explicit and holder):
        return FileOutcome(path, "superseded" if holder else "unchanged", replaced_source=holder, sha256=sha256)
    if ledger is not None and not explicit and (by := ledger.replaced_by(path, sha256)):
        return FileOutcome(path, "superseded", replaced_source=by, sha256=sha256)
    return Checked(path, data, sha256, explicit)


def parse_checked(checked: Checked, parse: Callable = parse_bytes, with_tokens: bool = False
                  ) -> Parsed | FileOutcome | tuple[Checked, UnidentifiedReport]:
    """Parse a checked file; no store is read, so this may run in any thread. An excerpt that names no body or
    year comes back with its partial report, for ``identified`` to place by the store. ``with_tokens``: ``parse``
    returns the report and its passages' tokens."""
    path, sha256 = checked.path, checked.sha256
    try:
        if with_tokens:  # ``SandboxedParser.parse_with_tokens``: the child cuts the passages' tokens too
            report, tokens = parse(checked.data, path.name)
            return Parsed(path, report, sha256, checked.explicit, tokens)
        return Parsed(path, parse(checked.data, path.name), sha256, checked.explicit)
    except UnidentifiedReport as e:
        return checked, e
    except NianbaoError as e:
        return FileOutcome(path, "failed", error=str(e), sha256=sha256)
    except Exception as e:  # a reader's own error on a broken file: this file only
        return FileOutcome(path, "failed", error=reader_failure(path.name, e), sha256=sha256)


def identified(item: Parsed | FileOutcome | tuple[Checked, UnidentifiedReport], store: Store) -> Parsed | FileOutcome:
    """An excerpt naming no body or year placed by the numbers it shares with a stored report (or failed, to be
    tried again once the others are in); anything else as it is."""
    if not isinstance(item, tuple):
        return item
    checked, error = item
    found = store.identify(error.partial)
    if found is None:
        return FileOutcome(checked.path, "failed", error=str(error), unidentified=True, sha256=checked.sha256)
    report = replace(error.partial, body=found[0], body_full=found[0], year=found[1], part="excerpt")
    return Parsed(checked.path, report, checked.sha256, checked.explicit)


def read_files(paths: Iterable[Path], store: Store, parsers: Sequence, explicit: Callable[[Path], bool] = lambda p: False,
               ledger: Ledger | None = None) -> Iterator[tuple[Path, Parsed | FileOutcome]]:
    """``read_file`` of each path, in order, with as many files parsing at once as there are ``parsers`` (each a
    ``SandboxedParser``: its own child process, so parsing runs on as many cores; even one child parses the next
    files while the caller writes). The store is read here, in the caller's thread; only parsing runs in the
    worker threads. ``READ_AHEAD`` files are read ahead of the one handed back. With no parsers the files are
    parsed here, and with one on a single core each is parsed, then handed back, in turn."""
    if not parsers or (len(parsers) == 1 and usable_cores() == 1):
        # one core: a file parses, then it is written (parsing ahead in a thread would only switch between them)
        for path in paths:
            yield path, (read_file(path, store, explicit(path), ledger, parsers[0].parse_with_tokens, with_tokens=True)
                         if parsers else read_file(path, store, explicit(path), ledger))
        return
    free: queue.SimpleQueue = queue.SimpleQueue()
    for parser in parsers:
        free.put(parser)

    def parse(checked: Checked):
        parser = free.get()
        try:  # the tokens cut in the child too: the writer's thread, the one all files go through, does not
            return parse_checked(checked, parser.parse_with_tokens, with_tokens=True)
        finally:
            free.put(parser)

    ahead: collections.deque = collections.deque()
    with concurrent.futures.ThreadPoolExecutor(len(parsers), thread_name_prefix="nianbao-read") as pool:
        try:
            try:
                held = 0  # bytes of the files read ahead
                for path in paths:
                    checked = check_file(path, store, explicit(path), ledger)
                    if isinstance(checked, Checked):
                        ahead.append((path, pool.submit(parse, checked), len(checked.data)))
                        held += len(checked.data)
                    else:
                        ahead.append((path, checked, 0))
                    while len(ahead) > READ_AHEAD or held > READ_AHEAD_BYTES:
                        first, item, size = ahead.popleft()
                        held -= size
                        yield _settled((first, item), store)
            except Exception:
                raise
            except BaseException:  # Ctrl-C while reading: the files read before it are handed on, then it goes up
                while ahead:
                    yield _settled(ahead.popleft()[:2], store)
                raise
            while ahead:
                yield _settled(ahead.popleft()[:2], store)
        finally:
            for _, item, _ in ahead:  # the consumer left early: what was started is not waited for
                if isinstance(item, concurrent.futures.Future):
                    item.cancel()


def usable_cores() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _settled(pending, store: Store) -> tuple[Path, Parsed | FileOutcome]:
    path, item = pending
    return path, identified(item.result(), store) if isinstance(item, concurrent.futures.Future) else item


def write_parsed(parsed: Parsed, store: Store) -> FileOutcome:
    """Store a parsed file (its own transaction, or a savepoint inside ``Store.batch``)."""
    path, sha256 = parsed.path, parsed.sha256
    try:
        result = store.write(parsed.report, sha256, restore=parsed.explicit, tokens=parsed.tokens)
    except NianbaoError as e:  # the store's own errors (a database another process holds) are not the file's
        return FileOutcome(path, "failed", error=str(e), sha256=sha256)
    return FileOutcome(path, result.status, parsed.report, replaced_source=result.replaced_source,
                       replaced_sha256=result.replaced_sha256, sha256=sha256)


class Batch:
    """Files read and parsed first, then written together in one short transaction: every ``every`` files or
    once ``seconds`` have passed since the first one waiting, never while a file parses (the write lock is held
    only while rows are written). ``on_commit`` gets every outcome in the order the items came, once the writes
    among them are committed; a file that writes nothing waits with the others, so output keeps its order.
    Leaving the ``with`` block (an error or Ctrl-C between files too) writes what is waiting."""

    def __init__(self, store: Store, on_commit: Callable[[list[FileOutcome]], None], every: int = 50,
                 seconds: float = 1.0):
        self.store, self.on_commit, self.every, self.seconds = store, on_commit, every, seconds
        self._waiting: list[Parsed | FileOutcome] = []
        self._since = 0.0

    def add(self, item: Parsed | FileOutcome) -> None:
        if not self._waiting:
            self._since = time.monotonic()
        self._waiting.append(item)
        if len(self._waiting) >= self.every or time.monotonic() - self._since > self.seconds:
            self.flush()

    def flush(self) -> None:
        waiting, self._waiting = self._waiting, []
        if not waiting:
            return
        outcomes: list[FileOutcome] = []
        if not any(isinstance(item, Parsed) for item in waiting):
            self.on_commit(list(waiting))
            return
        # one transaction, committed on leaving (interrupted while writing too) or after a second of writing:
        # what each commit stored is said once it is, and once only; a commit that fails says nothing
        said = 0

        def committed() -> None:
            nonlocal said
            stored, said = outcomes[said:], len(outcomes)  # marked said first: an interrupted saying is not repeated
            self.on_commit(stored)

        with self.store.batch(every=len(waiting) + 1, on_commit=committed) as done:
            for item in waiting:
                outcomes.append(write_parsed(item, self.store) if isinstance(item, Parsed) else item)
                done()

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *exc) -> None:
        self.flush()
