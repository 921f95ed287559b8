"""Ingest throughput and memory on a synthetic corpus: parse alone, then parse + store, on one core.

Prints figures only. The corpus comes from ``benchmarks.corpus.generate`` (copies of the samples with new body
names, years and table-三 numbers). The parse figure is over bytes already in memory; the parse + store figure
is ``ingest.pipeline.read_file`` and ``Batch`` (read, hash, parse, tokenise; then the parsed reports written
together, each under its own savepoint, as ``python -m ingest`` does) into a fresh SQLite file.
Memory: the process's peak resident size (``ru_maxrss``) and the tracemalloc peak of a parse + store loop, which
runs as a separate pass into another fresh database because tracing slows Python down several times.

``--real-like N`` measures what an archive's ingest is instead: ``python -m ingest`` itself (each file parsed in
its sandboxed child) over N new reports of real-like text, pinned to one core and then on every core, each run a
fresh process into a fresh database, every report's table 三 checked against the generator.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
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


ROOT = Path(__file__).resolve().parent.parent
WILD = ROOT / "tests" / "fixtures" / "wild" / "reports"


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


def _ingest_run(config: Path, jobs: int, cpus: set[int]) -> tuple[float, float, int]:
    """``python -m ingest --quiet --no-index --jobs N`` in a fresh process on ``cpus`` (its parsing children
    inherit them): (wall seconds, CPU seconds of it and its children, exit code)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "ingest", "--config", str(config), "--quiet", "--no-index",
                           "--jobs", str(jobs)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          preexec_fn=lambda: os.sched_setaffinity(0, cpus), check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if done.returncode:
        print(done.stderr.decode(errors="replace")[-2000:])
    return wall, cpu, done.returncode


def _store_checked(database: Path, made) -> tuple[int, int, str]:
    """(reports missing, table-三 总计 cells that differ from the generator's, a digest of every stored row but
    the times of ingest): two stores of the same files must have the same digest."""
    from benchmarks.scale_bench import stored_totals

    stored = stored_totals(database)
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for sql in ("SELECT id, body, year, n_cells, n_passages, n_findings, tables FROM reports ORDER BY id",
                    "SELECT * FROM cells ORDER BY report_id, tbl, row_key, col_key",
                    "SELECT * FROM passages ORDER BY id", "SELECT rowid, tokens, tags FROM passages_fts ORDER BY rowid",
                    "SELECT * FROM findings ORDER BY id"):
            for row in conn.execute(sql):
                digest.update(repr(row).encode())
    finally:
        conn.close()
    missing = sum(1 for m in made if (m.body.name, m.year) not in stored)
    differ = sum(1 for m in made if (m.body.name, m.year) in stored
                 for row, value in m.table3.items() if stored[(m.body.name, m.year)].get(row) != value)
    return missing, differ, digest.hexdigest()[:12]


def run_real_like(count: int, folder: Path, runs: int = 3) -> int:
    """``python -m ingest`` over ``count`` new reports of real-like text (``benchmarks.corpus.generate_bodies``:
    the samples' tables, sentences of the wild corpus): pinned to one core, then on every core, ``runs`` times in
    turn, each a fresh process into a fresh database (nothing cached but the files in the OS's page cache); the
    medians are compared, as the machine's speed drifts from run to run. Checks that every report is stored with
    the generator's table 三 and that every run stores the same rows. Returns the number of failures."""
    from benchmarks.corpus import generate_bodies

    cores = sorted(os.sched_getaffinity(0))
    reports = folder / "reports"
    made = generate_bodies(reports, max(1, count // 5), seed=11)
    size = sum(m.path.stat().st_size for m in made)
    print(f"real-like corpus: {len(made)} reports ({len(made) // 5} bodies × 5 years) of the samples' tables and "
          f"the wild corpus's sentences, {size / 1e6:.1f} MB, in {reports}; Python {sys.version.split()[0]}, "
          f"SQLite {sqlite3.sqlite_version}, {len(cores)} cores, load {os.getloadavg()[0]:.2f}")
    settings = (("one core", 1, {cores[-1]}), (f"{len(cores)} cores", len(cores), set(cores)))
    failures, digests = 0, set()
    rates: dict[str, list[float]] = {label: [] for label, _, _ in settings}
    for _ in range(runs):
        for label, jobs, cpus in settings:
            run = folder / label.replace(" ", "-")
            shutil.rmtree(run, ignore_errors=True)
            run.mkdir(parents=True)
            config = run / "config.toml"
            config.write_text(f'[paths]\nreports = "{reports}"\ndatabase = "{run / "db.sqlite"}"\n'
                              f'index = "{run / "idx"}"\n', encoding="utf-8")
            (reports / ".nianbao-ledger.json").unlink(missing_ok=True)
            wall, cpu, code = _ingest_run(config, jobs, cpus)
            stored = (run / "db.sqlite").exists()
            missing, differ, digest = _store_checked(run / "db.sqlite", made) if stored else (len(made), 0, "none")
            digests.add(digest)
            rates[label].append(len(made) / wall)
            bytes_per = (run / "db.sqlite").stat().st_size / len(made) if stored else 0
            ok = code == 0 and not missing and not differ
            failures += not ok
            print(f"  {label:9s} --jobs {jobs}: {wall:6.1f} s wall = {len(made) / wall:5.1f} reports/s; CPU {cpu:.1f} s "
                  f"({1000 * cpu / len(made):.1f} ms a report); {missing} missing, {differ} table-三 cells differ, "
                  f"exit {code}; store {bytes_per / 1024:.1f} KiB/report, rows {digest} {'✓' if ok else '✗'}")
    if len(digests) > 1:
        failures += 1
        print("  ✗ the runs stored different rows")
    one, every = (statistics.median(rates[label]) for label, _, _ in settings)
    print(f"  medians of {runs}: one core {one:.0f} reports/s (target ≥ 100); {len(cores)} cores {every:.0f} = "
          f"{every / one:.2f}× (target ≥ 1.5×)")
    return failures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.ingest_bench", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Time parse and parse+store over a synthetic corpus on one core; print reports/s and memory.",
        epilog="examples:\n  python -m benchmarks.ingest_bench --count 200 --keep /tmp/nianbao-bench\n"
               "  python -m benchmarks.ingest_bench --real-like 1500")
    parser.add_argument("--count", type=int, default=1000, metavar="N", help="number of reports (default 1000)")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="corpus seed (default 0)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="write the corpus and databases into DIR and keep them (default: a temporary folder)")
    parser.add_argument("--wild", type=Path, default=WILD, metavar="DIR",
                        help="folder of real crawler-text reports timed after the synthetic corpus (default: "
                             "tests/fixtures/wild/reports)")
    parser.add_argument("--wild-rounds", type=int, default=10, metavar="N", help="passes over the wild folder (default 10)")
    parser.add_argument("--wild-only", action="store_true", help="time only the wild corpus")
    parser.add_argument("--real-like", type=int, metavar="N",
                        help="instead: python -m ingest over N new reports of real-like text, on one core and on "
                             "every core, answers checked (e.g. 1500)")
    parser.add_argument("--runs", type=int, default=3, metavar="K",
                        help="with --real-like: runs of each, in turn; their medians are compared (default 3)")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be 1 or more")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    try:
        if args.real_like:
            sys.exit(1 if run_real_like(args.real_like, folder, max(1, args.runs)) else 0)
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
