"""Ingest throughput and memory on a synthetic corpus: parse alone, then parse + store, on one core.

Prints figures only. The corpus comes from ``benchmarks.corpus.generate`` (copies of the samples with new body
names, years and table-三 numbers). The parse figure is over bytes already in memory; the parse + store figure
is ``ingest.pipeline.read_file`` and ``Batch`` (read, hash, parse, tokenise; then the parsed reports written
together, each under its own savepoint, as ``python -m ingest`` does) into a fresh SQLite file.
Memory: the process's peak resident size (``ru_maxrss``) and the tracemalloc peak of a parse + store loop, which
runs as a separate pass into another fresh database because tracing slows Python down several times.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

from benchmarks.corpus import generate

__all__ = ["main"]


def _pin_to_one_core() -> str:
    """Run on a single CPU (and single-threaded native libraries) so figures compare across machines."""
    for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity on this system)"


def _rate(count: int, seconds: float) -> str:
    each = 1000 * seconds / count
    return f"{count} reports in {seconds:.2f} s = {count / seconds:.1f} reports/s ({each:.1f} ms each)"


def _store_loop(paths: list[Path], database: Path) -> tuple[float, Counter, dict[str, int]]:
    from ingest.pipeline import Batch, read_file
    from ingest.store import Store

    statuses: Counter = Counter()
    with Store(database) as store:
        started = time.perf_counter()
        # as `python -m ingest` does: files parsed first, then written together (a savepoint per report, a commit
        # per 50 or per second)
        with Batch(store, lambda outcomes: statuses.update(o.status for o in outcomes)) as batch:
            for path in paths:
                batch.add(read_file(path, store))
        seconds = time.perf_counter() - started
        counts = store.counts()
    return seconds, statuses, counts


def run(count: int, seed: int, folder: Path) -> None:
    from ingest.report import parse_bytes
    from ingest.tokenize import tokenize

    began = time.perf_counter()
    pinned = _pin_to_one_core()
    corpus, databases = folder / "corpus", folder / "databases"
    databases.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    paths = generate(corpus, count, seed)
    generated = time.perf_counter() - started
    data = [(path.name, path.read_bytes()) for path in paths]
    size = sum(len(content) for _, content in data)
    print(f"nianbao ingest benchmark: {count} synthetic reports (seed {seed}), {size / 1e6:.1f} MB, {pinned}, "
          f"Python {sys.version.split()[0]}")
    print(f"  corpus generated in {generated:.2f} s into {corpus}")

    started = time.perf_counter()  # warm-up outside the timings: imports, jieba's dictionary
    parse_bytes(data[0][1], data[0][0])
    tokenize("政府信息公开工作年度报告")
    print(f"  warm-up (imports, tokenizer dictionary): {time.perf_counter() - started:.2f} s")

    unknown = warnings = 0
    started = time.perf_counter()
    for name, content in data:
        report = parse_bytes(content, name)
        unknown += sum(1 for cell in report.cells if cell.status == "unknown")
        warnings += len(report.warnings)
    parsed = time.perf_counter() - started
    print(f"parse:        {_rate(count, parsed)}; {unknown} unknown cells, {warnings} warnings")

    stored, statuses, counts = _store_loop(paths, databases / "timed.sqlite")
    db_size = (databases / "timed.sqlite").stat().st_size
    print(f"parse+store:  {_rate(count, stored)}; {dict(statuses)}")
    print(f"  store: {counts['reports']} reports, {counts['cells']} cells, {counts['passages']} passages, "
          f"{counts['findings']} findings; {db_size / 1e6:.1f} MB")

    tracemalloc.start()
    traced, _, _ = _store_loop(paths, databases / "traced.sqlite")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(f"peak memory:  ru_maxrss {maxrss_kb / 1024:.0f} MB (whole process); tracemalloc peak of the parse+store "
          f"loop {peak / 1e6:.1f} MB (traced pass {traced:.1f} s)")
    print(f"total:        {time.perf_counter() - began:.1f} s")


WILD = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "wild" / "reports"


def run_wild(folder: Path, rounds: int, workdir: Path) -> None:
    """Real crawler text (tests/fixtures/wild): parse, then parse + store into a fresh database, ``rounds`` times
    over the folder's text files. Checks the answers too: every file stored, none refused."""
    from ingest.errors import UnidentifiedReport
    from ingest.report import parse_bytes

    paths = sorted(folder.glob("*.txt"))
    data = [(p.name, p.read_bytes()) for p in paths]
    print(f"wild corpus: {len(paths)} crawler-text reports from {folder}, {sum(len(d) for _, d in data) / 1e3:.0f} KB, "
          f"{rounds} rounds")
    started = time.perf_counter()
    for _ in range(rounds):
        for name, content in data:
            try:
                parse_bytes(content, name)
            except UnidentifiedReport:  # the excerpt: parsed in full, identified by the store
                pass
    print(f"  parse:        {_rate(len(data) * rounds, time.perf_counter() - started)}")
    total = 0.0
    statuses: Counter = Counter()
    for r in range(rounds):
        seconds, counted, _ = _store_loop(paths, workdir / f"wild{r}.sqlite")
        total += seconds
        statuses += counted
    print(f"  parse+store:  {_rate(len(data) * rounds, total)}; {dict(statuses)} (an excerpt naming no body "
          "is refused here: the full report it belongs to is a PDF, not in this folder)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.ingest_bench", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Time parse and parse+store over a synthetic corpus on one core; print reports/s and memory.",
        epilog="example:\n  python -m benchmarks.ingest_bench --count 200 --keep /tmp/nianbao-bench")
    parser.add_argument("--count", type=int, default=1000, metavar="N", help="number of reports (default 1000)")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="corpus seed (default 0)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="write the corpus and databases into DIR and keep them (default: a temporary folder)")
    parser.add_argument("--wild", type=Path, default=WILD, metavar="DIR",
                        help="folder of real crawler-text reports timed after the synthetic corpus (default: "
                             "tests/fixtures/wild/reports)")
    parser.add_argument("--wild-rounds", type=int, default=10, metavar="N", help="passes over the wild folder (default 10)")
    parser.add_argument("--wild-only", action="store_true", help="time only the wild corpus")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be 1 or more")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    try:
        if args.wild_only:
            _pin_to_one_core()
        else:
            run(args.count, args.seed, folder)
        if args.wild.is_dir():
            (folder / "databases").mkdir(parents=True, exist_ok=True)
            run_wild(args.wild, args.wild_rounds, folder / "databases")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
