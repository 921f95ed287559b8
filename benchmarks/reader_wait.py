"""How long a question waits while ``python -m ingest`` writes: the answering service asks one numeric question in
a loop while an ingest of a synthetic corpus runs in another process, and prints the answer times (p50, p99, max)
during the ingest and before it. The answers are checked: the question's number never changes.

The store keeps SQLite's rollback journal (not WAL): a reader waits only while a batch commits, and a batch holds
the write lock only while its rows are written (files are parsed before). This measures that wait.

    python -m benchmarks.reader_wait [--count 600] [--folder /tmp/nianbao-reader-wait]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .corpus import generate

ROOT = Path(__file__).resolve().parent.parent
QUESTION, EXPECTED = "桥头胡2020年收到多少申请", 18  # the README's example (桥头胡街道's own report)


def _times(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return (f"{len(samples)} answers: p50 {statistics.median(ordered) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
            f"max {ordered[-1] * 1000:.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reader_wait", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=600, help="synthetic reports ingested while asking")
    parser.add_argument("--folder", type=Path, default=Path("/tmp/nianbao-reader-wait"))
    args = parser.parse_args(argv)
    from index.service import Answerer
    from ingest.cli import main as ingest_main
    from ingest.config import load_config

    shutil.rmtree(args.folder, ignore_errors=True)
    reports = args.folder / "reports"
    reports.mkdir(parents=True)
    shutil.copy(ROOT / "data" / "reports" / "002_c98c7a4ac036b6ca.txt", reports)
    config = args.folder / "config.toml"
    config.write_text(f'[paths]\nreports = "{reports}"\ndatabase = "db.sqlite"\nindex = "idx"\n', encoding="utf-8")
    assert ingest_main(["--config", str(config), "--quiet", "--no-index"]) == 0
    corpus = generate(args.folder / "corpus", args.count, 7)

    service = Answerer(load_config(config), dense=False)
    wrong = 0

    def ask() -> float:
        nonlocal wrong
        started = time.perf_counter()
        answer = service.answer(QUESTION)
        wrong += answer.value != EXPECTED
        return time.perf_counter() - started

    quiet = [ask() for _ in range(200)]
    writer = subprocess.Popen([sys.executable, "-m", "ingest", "--config", str(config), "--quiet", "--no-index",
                               str(args.folder / "corpus")], cwd=ROOT, stdout=subprocess.DEVNULL)
    busy: list[float] = []
    started = time.perf_counter()
    while writer.poll() is None:
        busy.append(ask())
    seconds = time.perf_counter() - started
    service.close()
    print(f"reader wait while ingesting {len(corpus)} reports ({seconds:.1f} s, exit {writer.returncode}):")
    print(f"  before the ingest: {_times(quiet)}")
    print(f"  during the ingest: {_times(busy)}")
    print(f"  wrong answers: {wrong}")
    return 0 if wrong == 0 and writer.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
