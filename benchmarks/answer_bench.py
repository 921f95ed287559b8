"""Answering benchmark: accuracy and warm in-process latency, printed as figures (no asserts).

0. Narrative retrieval over the samples, the four real reports and the wild corpus: hit@1, hit@3 and MRR of BM25
   alone, dense alone and the hybrid on tests/fixtures/gold/narrative_gold.jsonl and on the narrative questions of
   the other gold files; the encoding rate (passages per second, on one core and on all) and query latency.
1. The gold questions (default tests/fixtures/gold/seeds_gold.jsonl, over data/reports) answered with BM25 alone,
   dense alone and the hybrid; accuracy per kind and p50/p95 latency per kind.
2. A synthetic corpus (default 10,000 reports from benchmarks.corpus): latency of numeric, narrative and
   aggregate questions with the lexical index (and with the dense index when --dense).

The dense figures use the e5 folder of ``python -m index model`` when it is built, else the small character model
of benchmarks.tiny_model, unless --model names another (a local folder or a cached hub name).

    python -m benchmarks.answer_bench
    python -m benchmarks.answer_bench --retrieval-only
    python -m benchmarks.answer_bench --reports 1000 --keep /tmp/corpus
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent


def _config(folder: Path, reports: Path, model: str) -> Path:
    path = folder / "config.toml"
    path.write_text(f'[paths]\nreports = "{reports}"\ndatabase = "db.sqlite"\nindex = "idx"\n'
                    f'[index]\nmodel = "{model}"\n', encoding="utf-8")
    return path


def _percentiles(samples: list[float]) -> str:
    if not samples:
        return "-"
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"p50 {statistics.median(ordered) * 1000:7.2f} ms  p95 {p95 * 1000:7.2f} ms  (n={len(ordered)})"


def _tiny_model(folder: Path, reports: Path) -> str:
    from benchmarks.tiny_model import build_tiny_model

    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(reports.glob("*.txt"))[:50]]
    return str(build_tiny_model(texts, folder / "tiny-model"))


def _default_model() -> str | None:
    from index.e5model import DEFAULT_FOLDER, folder_ready

    folder = ROOT / DEFAULT_FOLDER
    return str(folder) if folder_ready(folder) else None


def _encoding_rates(embedder, texts: list[str]) -> str:
    """Passages per second on one core and on all, for an embedder that can be made with a thread count."""
    from index.dense import OnnxEmbedder

    rates = []
    if isinstance(embedder, OnnxEmbedder):
        for threads in sorted({1, os.cpu_count() or 1}):
            one = OnnxEmbedder(embedder.folder, threads=threads)
            started = time.perf_counter()
            one.encode_passages(texts)
            rates.append(f"{threads} 核 {len(texts) / (time.perf_counter() - started):.0f} 段/秒")
    else:
        started = time.perf_counter()
        embedder.encode_passages(texts)
        rates.append(f"{len(texts) / (time.perf_counter() - started):.0f} 段/秒")
    return "，".join(rates)


def retrieval_benchmark(model: str | None, gold_files: list[Path]) -> None:
    from benchmarks.retrieval import load_items, score
    from index.service import Answerer
    from ingest.cli import main as ingest_main
    from ingest.config import load_config

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        reports = folder / "reports"
        reports.mkdir()
        for source in (ROOT / "data" / "reports", ROOT / "tests" / "fixtures" / "real",
                       ROOT / "tests" / "fixtures" / "wild" / "reports"):
            for path in sorted(source.glob("*")):
                if path.is_file():
                    (reports / path.name).symlink_to(path)
        model = model or _default_model() or _tiny_model(folder, ROOT / "data" / "reports")
        config_path = _config(folder, reports, model)
        lines = io.StringIO()
        started = time.perf_counter()
        with contextlib.redirect_stdout(lines):
            ingest_main(["--config", str(config_path), "--quiet"])
        took = time.perf_counter() - started
        service = Answerer(load_config(config_path))
        print(f"\n== narrative retrieval: {len(list(reports.iterdir()))} reports, dense model {model} ==")
        print("   " + next((line for line in lines.getvalue().splitlines() if line.startswith("向量索引")),
                          "no dense index"))
        print(f"   ingest with embedding {took:.1f} s")
        for notice in service.notices:
            print("   notice:", notice)
        held = {p.name for p in reports.iterdir()}
        if service.embedder is not None:
            conn = service._conn()
            texts = [text for (text,) in conn.execute(
                "SELECT text FROM passages WHERE kind = 'text' ORDER BY id LIMIT 400")]
            print(f"   encoding {len(texts)} passages: {_encoding_rates(service.embedder, texts)}")
            started = time.perf_counter()
            for _ in range(20):
                service.embedder.encode_queries(["东柳街道有哪些改进措施"])
            print(f"   one question embedded in {(time.perf_counter() - started) / 20 * 1000:.1f} ms")
        for gold in gold_files:
            items = [item for item in load_items(gold) if item.file in held]
            if not items:
                continue
            print(f"-- {gold.name}: {len(items)} narrative questions")
            for mode in ("bm25", "dense", "hybrid"):
                if mode != "bm25" and service.dense is None:
                    print(f"{mode:7s} unavailable (no dense index)")
                    continue
                result = score(service, items, mode)
                print(result.line())
                if mode == "hybrid" and result.misses:
                    print("        not in the top 3:", " ".join(result.misses))
        service.close()


def gold_benchmark(gold: Path, model: str | None, repeats: int) -> None:
    from index.evaluate import judge, load_gold
    from index.service import Answerer
    from ingest.cli import main as ingest_main
    from ingest.config import load_config

    items = load_gold(gold)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        model = model or _tiny_model(folder, ROOT / "data" / "reports")
        config_path = _config(folder, ROOT / "data" / "reports", model)
        ingest_main(["--config", str(config_path), "--quiet"])
        service = Answerer(load_config(config_path))
        print(f"\n== gold questions: {gold.name} ({len(items)}), dense model: {model} ==")
        for notice in service.notices:
            print("   notice:", notice)
        for mode in ("bm25", "dense", "hybrid"):
            if mode != "bm25" and service.dense is None:
                print(f"{mode:7s} unavailable (no dense index)")
                continue
            for item in items:  # warm-up
                service.answer(item.question, mode=mode)
            by_kind: dict[str, list[float]] = {}
            correct: dict[str, list[int]] = {}
            for _ in range(repeats):
                for item in items:
                    started = time.perf_counter()
                    answer = service.answer(item.question, mode=mode)
                    by_kind.setdefault(item.kind, []).append(time.perf_counter() - started)
                    ok = not judge(item, answer)
                    correct.setdefault(item.kind, [0, 0])
                    correct[item.kind][0] += ok
                    correct[item.kind][1] += 1
            total_ok = sum(c[0] for c in correct.values())
            total = sum(c[1] for c in correct.values())
            print(f"{mode:7s} accuracy {total_ok / total:6.1%}   " +
                  "  ".join(f"{k} {c[0] // repeats}/{c[1] // repeats}" for k, c in sorted(correct.items())))
            for kind, samples in sorted(by_kind.items()):
                print(f"        {kind:10s} {_percentiles(samples)}")
        service.close()


def corpus_benchmark(count: int, keep: Path | None, dense: bool, model: str | None, questions: int) -> None:
    from benchmarks.corpus import generate
    from index.service import Answerer
    from ingest.cli import main as ingest_main
    from ingest.config import load_config
    from ingest.store import Store

    folder = keep or Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    reports = folder / "reports"
    if not reports.exists() or len(list(reports.glob("*.txt"))) < count:
        started = time.perf_counter()
        generate(reports, count, seed=1)
        print(f"\n== synthetic corpus: generated {count} reports in {time.perf_counter() - started:.1f} s ==")
    model = model or (_tiny_model(folder, reports) if dense else "not-a-model-lexical-only")
    config_path = _config(folder, reports, model)
    started = time.perf_counter()
    lines = io.StringIO()
    with contextlib.redirect_stdout(lines):  # a line per file: keep only the summary
        ingest_main(["--config", str(config_path), "--quiet"] + ([] if dense else ["--no-index"]))
    print(*(line for line in lines.getvalue().splitlines() if not line.startswith(("✓", "·"))), sep="\n")
    print(f"ingest (+ index) {time.perf_counter() - started:.1f} s")
    config = load_config(config_path)
    with Store(config.paths.database) as store:
        held = [(r["body"], r["year"]) for r in store.reports()]
        print("store:", store.counts())
    service = Answerer(config, dense=dense)
    rng = random.Random(7)
    sample = [held[rng.randrange(len(held))] for _ in range(questions)]
    numeric = [f"{b}{y}年收到多少申请" for b, y in sample] + [f"{b}{y}年予以公开多少件" for b, y in sample]
    narrative = [f"{b}{y}年存在哪些问题" for b, y in sample] + [f"{b}有哪些改进措施" for b, _ in sample]
    aggregate = ["2019年哪个街道收到的政府信息公开申请最多", "2020年各街道一共收到多少政府信息公开申请"]
    for question in numeric[:20] + narrative[:20]:
        service.answer(question)  # warm-up
    print(f"latency over {len(held)} reports, mode {service.mode}:")
    for name, group, repeat in (("numeric", numeric, 1), ("narrative", narrative, 1), ("aggregate", aggregate, 3)):
        samples = []
        kinds = set()
        for _ in range(repeat):
            for question in group:
                started = time.perf_counter()
                kinds.add(service.answer(question).kind)
                samples.append(time.perf_counter() - started)
        print(f"   {name:10s} {_percentiles(samples)}  kinds={sorted(kinds)}")
    service.close()
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; corpus folder {folder}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=ROOT / "tests" / "fixtures" / "gold" / "seeds_gold.jsonl")
    parser.add_argument("--model", help="embedding model (folder or cached name); default: the tiny offline model")
    parser.add_argument("--repeats", type=int, default=5, help="passes over the gold questions per mode")
    parser.add_argument("--reports", type=int, default=10000, help="synthetic corpus size (0 to skip)")
    parser.add_argument("--questions", type=int, default=200, help="sampled bodies for the corpus latency run")
    parser.add_argument("--dense", action="store_true", help="also build the dense index for the corpus")
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the synthetic corpus and its store")
    parser.add_argument("--retrieval-only", action="store_true", help="only the narrative retrieval figures")
    args = parser.parse_args()
    gold_dir = ROOT / "tests" / "fixtures" / "gold"
    retrieval_benchmark(args.model, [gold_dir / name for name in ("narrative_gold.jsonl", "seeds_gold.jsonl",
                                                                   "real_gold.jsonl", "phrasing_samples.jsonl",
                                                                   "phrasing_wild.jsonl")])
    if args.retrieval_only:
        return
    gold_benchmark(args.gold, args.model, args.repeats)
    if args.reports:
        corpus_benchmark(args.reports, args.keep, args.dense, args.model, args.questions)


if __name__ == "__main__":
    main()
