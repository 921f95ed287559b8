"""Synthetic corpus of 政府信息公开工作年度报告 for throughput/latency benchmarks.

Contract: ``generate(out_dir, count, seed)`` writes ``count`` UTF-8 files
``out_dir/synthetic_{i:05d}.txt`` (i = 0 … count-1) and returns their paths in that order.
File i is a copy of sample ``i % len(samples)`` of ``data/reports/*.txt`` (sorted by name), in which
- the sample's body name (e.g. 柴桥街道) and its short form (柴桥) are replaced everywhere by an
  invented name (2–3 common characters + 街道, sometimes 镇/乡), unique across the corpus
  (no two files share the part before 街道/镇/乡 either);
- the report year becomes Y ∈ {2019, 2020}: every 4-digit year 2018–2021 is shifted by
  Y − (sample's report year), so the report year maps to Y and the signing year to Y+1;
- in table 三 the 自然人 column holds new small integers with
  本年新收 + 上年结转 = （七）总计 + 结转下年度 and （七）总计 = sum of the 19 outcome rows;
  each row's 总计 = 自然人 + the five 法人或其他组织 cells, which stay as in the sample;
- the 政府集中采购 count and amount are new numbers (same unit, same number of decimals).
Nothing else changes. The output depends only on (count, seed) and the samples.
"""
from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["generate", "main"]

REPORTS = Path(__file__).resolve().parent.parent / "data" / "reports"
SAMPLE_NAMES = ("柴桥街道", "东柳街道", "桥头胡街道", "王家街道", "左家庄街道")
CHARS = "安平和兴华新东西南北中山河湖江海青红金银石林桥庄台城长宁丰福泰康源泉阳明光春秋德仁义文武龙凤云峰岭塘湾洲沙田溪坪"
SUFFIXES, SUFFIX_WEIGHTS = ("街道", "镇", "乡"), (90, 7, 3)
ANY_YEAR = re.compile(r"(?<!\d)20(?:1[89]|2[01])(?!\d)")
REPORT_YEAR = re.compile(r"(?<!\d)20(?:19|20)(?!\d)")
VALUE = re.compile(r"\s*(\d+|无)?\s*")  # a numeric (or blank / 无) table cell
NUMBER = re.compile(r"\d+(?:\.\d+)?")

Slot = tuple[int, int]  # (line index, tab-separated column) of one table cell
Row = list[Slot]


@dataclass(frozen=True)
class Sample:
    """One sample report and the positions of the cells that get new numbers."""
    text: str
    names: re.Pattern[str]  # matches the body name or its short form
    full_name: str
    year: int
    table3: list[Row]  # 本年新收, 上年结转, outcomes…, 总计, 结转下年度: 7 value slots each
    purchase: list[Slot]  # 政府集中采购: count, amount


def _cell(lines: list[str], slot: Slot) -> str:
    return lines[slot[0]].split("\t")[slot[1]]


def _set(lines: list[str], slot: Slot, value: str) -> None:
    cells = lines[slot[0]].split("\t")
    cells[slot[1]] = value
    lines[slot[0]] = "\t".join(cells)


def _rows(lines: list[str]) -> list[Row]:
    """Table rows in both text layouts: one cell per tab-prefixed line, or tab-separated cells."""
    rows: list[Row] = []
    block: Row = []
    for i, line in enumerate(lines):
        if line.startswith("\t") and "\t" not in line[1:]:
            block.append((i, 1))
            continue
        if block:
            rows.append(block)
            block = []
        if "\t" in line:
            rows.append([(i, c) for c in range(line.count("\t") + 1)])
    return rows + [block] if block else rows


def _seven(slots: Row, cells: list[str]) -> Row:
    """The 7 value cells of a row: surplus blank cells (label spans, trailing tabs) are dropped."""
    first, last = 0, len(cells)
    while last - first > 7 and (not cells[first] or not cells[last - 1]):
        if cells[first]:
            last -= 1
        else:
            first += 1
    return slots[first:last] if last - first == 7 else []


def _load(path: Path) -> Sample:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    full_name = max(SAMPLE_NAMES, key=text.count)
    year = REPORT_YEAR.search(text)
    if full_name not in text or year is None:
        raise ValueError(f"{path}: no known body name or report year")
    table3: list[Row] = []
    purchase: list[Slot] = []
    for row in _rows(lines):
        cells = [_cell(lines, slot).strip() for slot in row]
        if "政府集中采购" in cells:
            start = cells.index("政府集中采购") + 1
            purchase = row[start:start + 2]
        labels = [k for k, cell in enumerate(cells) if not VALUE.fullmatch(cell)]
        values = _seven(row[labels[-1] + 1:], cells[labels[-1] + 1:]) if labels else []
        if len(values) == 7 and (table3 or "本年新收" in "".join(cells)) and len(table3) < 23:
            table3.append(values)
    if len(table3) != 23 or len(purchase) != 2:
        raise ValueError(f"{path}: table 三 ({len(table3)} of 23 rows) or 政府集中采购 not found")
    pattern = re.compile(f"{re.escape(full_name)}|{re.escape(full_name[:-2])}")
    return Sample(text, pattern, full_name, int(year.group()), table3, purchase)


def _invent_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """``count`` distinct (full name, stem) pairs; stems differ from each other and the samples'."""
    if count > len(CHARS) ** 2 + len(CHARS) ** 3 // 2:
        raise ValueError(f"cannot invent {count} distinct names")
    taken = {name[:-2] for name in SAMPLE_NAMES}
    names: list[tuple[str, str]] = []
    while len(names) < count:
        stem = "".join(rng.choices(CHARS, k=rng.choice((2, 2, 3))))
        if stem not in taken:
            taken.add(stem)
            names.append((stem + rng.choices(SUFFIXES, SUFFIX_WEIGHTS)[0], stem))
    return names


def _with_number(cell: str, value: int) -> str:
    """``cell`` with its number (or 无) replaced by ``value``; a blank cell becomes ``value``."""
    match = VALUE.fullmatch(cell)
    if match is None or match.group(1) is None:
        return str(value)
    return cell[:match.start(1)] + str(value) + cell[match.end(1):]


def _as_int(cell: str) -> int:
    match = VALUE.fullmatch(cell)
    return int(match.group(1)) if match and match.group(1) and match.group(1).isdigit() else 0


def _like(match: re.Match[str], rng: random.Random) -> str:
    """A random number with as many integer digits and decimals as the matched one."""
    whole, _, decimals = match.group().partition(".")
    number = str(rng.randint(10 ** (len(whole) - 1) if len(whole) > 1 else 1, 10 ** len(whole) - 1))
    return f"{number}.{rng.randrange(10 ** len(decimals)):0{len(decimals)}d}" if decimals else number


def _render(sample: Sample, name: tuple[str, str], year: int, rng: random.Random) -> str:
    full, stem = name
    text = sample.names.sub(lambda m: full if m.group() == sample.full_name else stem, sample.text)
    text = ANY_YEAR.sub(lambda m: str(int(m.group()) + year - sample.year), text)
    lines = text.split("\n")  # substitutions add no tabs or line breaks: the slots still hold
    outcomes = [rng.randint(1, 9) if rng.random() < 0.3 else 0 for _ in sample.table3[2:-2]]
    total, carried_out = sum(outcomes), rng.randint(0, 3)
    carried_in = rng.randint(0, min(3, total + carried_out))
    column = [total + carried_out - carried_in, carried_in, *outcomes, total, carried_out]
    for row, natural in zip(sample.table3, column):
        legal = sum(_as_int(_cell(lines, slot)) for slot in row[1:6])
        _set(lines, row[0], _with_number(_cell(lines, row[0]), natural))
        _set(lines, row[6], _with_number(_cell(lines, row[6]), natural + legal))
    count_slot, amount_slot = sample.purchase
    _set(lines, count_slot, NUMBER.sub(lambda m: str(rng.randint(1, 60)), _cell(lines, count_slot)))
    _set(lines, amount_slot, NUMBER.sub(lambda m: _like(m, rng), _cell(lines, amount_slot)))
    return "\n".join(lines)


def generate(out_dir: Path, count: int, seed: int = 0) -> list[Path]:
    """Write ``count`` synthetic reports to ``out_dir`` (created if needed); see the module docstring."""
    samples = [_load(path) for path in sorted(REPORTS.glob("*.txt"))]
    if not samples:
        raise ValueError(f"no sample reports in {REPORTS}")
    rng = random.Random(seed)
    names = _invent_names(rng, count)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for i, name in enumerate(names):
        text = _render(samples[i % len(samples)], name, rng.choice((2019, 2020)), rng)
        path = out_dir / f"synthetic_{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.corpus",
        description="Write a synthetic corpus of annual reports derived from data/reports/*.txt.",
        epilog="example:\n  python -m benchmarks.corpus /tmp/nianbao-corpus --count 10000 --seed 1",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("out_dir", type=Path, help="folder to write synthetic_NNNNN.txt files into")
    parser.add_argument("--count", type=int, required=True, metavar="N", help="number of files")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must be 0 or more")
    paths = generate(args.out_dir, args.count, args.seed)
    print(f"wrote {len(paths)} files to {args.out_dir}")


if __name__ == "__main__":
    main()
