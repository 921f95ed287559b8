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

``generate_bodies(out_dir, bodies, years, seed)`` writes a corpus of bodies with several years each, for the scale
benchmark: ``bodies`` invented bodies of four kinds (街道, 镇, 乡, 局) in invented places, one report per body and
year, ``out_dir/b{body:05d}_{year}.txt``. Each report is one sample (the same for all of a body's years) with
- a title line naming the body as written in full (临江市江北区人民政府安平街道办事处, 江北县安平镇人民政府,
  江北县财政局, …), from which the store takes the body (安平街道, 江北县安平镇, 江北县财政局);
- the sample's names replaced as above and, for a body that is no 街道, the word 街道 by its kind (我街道 -> 我镇);
- years and table 三 / 政府集中采购 numbers new as above, a year's 上年结转 being the 结转下年度 of the year before;
- each paragraph of text followed by one to three sentences drawn from the real reports of
  tests/fixtures/wild/reports and the samples (their places and bodies replaced, their numbers new), so the
  vocabulary is that of real reports and no two reports share a passage.
It returns a :class:`Made` per report: what the store should hold for it, table 三's 总计 column included.
"""
from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.template import TABLE3

__all__ = ["generate", "generate_bodies", "Body", "Made", "T3_ROWS", "main"]

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "data" / "reports"
WILD = ROOT / "tests" / "fixtures" / "wild" / "reports"
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
    _fill(sample, lines, rng)
    return "\n".join(lines)


def _fill(sample: Sample, lines: list[str], rng: random.Random, carried_in: int | None = None) -> list[int]:
    """New numbers in table 三 and 政府集中采购 (see the module docstring); returns table 三's 总计 column, one value
    per row of ``sample.table3``. ``carried_in``: the 上年结转 of 自然人 (last year's 结转下年度), else drawn."""
    totals = []
    outcomes = [rng.randint(1, 9) if rng.random() < 0.3 else 0 for _ in sample.table3[2:-2]]
    total = sum(outcomes)
    if carried_in is None:
        carried_out = rng.randint(0, 3)
        carried_in = rng.randint(0, min(3, total + carried_out))
    else:  # what was carried in is dealt with this year or carried on: 本年新收 is never negative
        carried_out = rng.randint(max(0, carried_in - total), max(3, carried_in - total))
    column = [total + carried_out - carried_in, carried_in, *outcomes, total, carried_out]
    for row, natural in zip(sample.table3, column):
        legal = sum(_as_int(_cell(lines, slot)) for slot in row[1:6])
        _set(lines, row[0], _with_number(_cell(lines, row[0]), natural))
        _set(lines, row[6], _with_number(_cell(lines, row[6]), natural + legal))
        totals.append(natural + legal)
    count_slot, amount_slot = sample.purchase
    _set(lines, count_slot, NUMBER.sub(lambda m: str(rng.randint(1, 60)), _cell(lines, count_slot)))
    _set(lines, amount_slot, NUMBER.sub(lambda m: _like(m, rng), _cell(lines, amount_slot)))
    return totals


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


# --- bodies with several years ----------------------------------------------------------------------------------
# the sample's rows of table 三, in order (the 2019 template: （六）其他处理 is one row)
T3_ROWS = tuple(row.key for row in TABLE3.rows if not row.key.startswith("other."))
KINDS, KIND_WEIGHTS = ("街道", "镇", "乡", "局"), (55, 25, 8, 12)
BUREAUS = ("财政局", "教育局", "公安局", "民政局", "司法局", "审计局", "统计局", "林业局", "水利局", "商务局",
           "市场监督管理局", "自然资源局", "生态环境局", "交通运输局", "农业农村局", "应急管理局", "医疗保障局",
           "人力资源和社会保障局", "住房和城乡建设局", "文化和旅游局", "退役军人事务局", "行政审批服务局")
SAMPLE_FULL = {"王家街道": "重庆市渝北区人民政府王家街道办事处"}  # the samples' names as written in full
# what no sentence put into a report may say: table labels and section titles (they would be read as a table or a
# section of their own), contacts and links, and the names of the real bodies that the replacement below misses
_NOT_TEXT = re.compile(r"本年新收|上年结转|予以公开|部分公开|不予公开|无法提供|不予处理|其他处理|总计|结转|复议|诉讼|"
                       r"第二十条|收费|采购|本报告|年度报告|年报|http|www|@|电话|传真|邮编|地址|附件|==|表[一二三四]|"
                       r"[一二三四五六七八九十]、|收到和处理|主动公开政府信息情况|存在的主要问题|其他需要报告|"
                       r"平潭|莆田|淮安|洪泽|片区|福建|福州|实验区|荔城|涵江|仙游|秀屿|城厢|君山|海坛|金井|岚城|苏澳|敖东|"
                       r"街道|[\t\n]")
_WILD_NAMES = re.compile(r"(?:平潭综合实验区|莆田市|淮安市|淮安|洪泽区)(?:党工委管委会|管委会)?")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Body:
    name: str  # the short name the store holds (reports.body)
    full: str  # the name as the title writes it (reports.body_full)
    kind: str  # 街道 | 镇 | 乡 | 局
    stem: str  # what stands for the sample's short form (柴桥) in the text
    place: str  # the place the body is in (临江市江北区, 江北县)


@dataclass(frozen=True)
class Made:
    """One generated report: its file and what the store should hold for it."""
    path: Path
    body: Body
    year: int
    table3: dict[str, int]  # row key (T3_ROWS) -> the 总计 column


def _places(rng: random.Random, count: int, taken: set[str]) -> list[tuple[str, str]]:
    """``count`` (city, district or county) pairs with distinct district stems, not in ``taken`` (added to it)."""
    cities = []
    while len(cities) < max(1, count // 8):
        stem = "".join(rng.choices(CHARS, k=2))
        if stem not in taken:
            taken.add(stem)
            cities.append(stem + "市")
    places = []
    while len(places) < count:
        stem = "".join(rng.choices(CHARS, k=2))
        if stem not in taken:
            taken.add(stem)
            places.append((rng.choice(cities), stem + rng.choice("区区县")))
    return places


def _bodies(rng: random.Random, count: int) -> list[Body]:
    """``count`` bodies: unique short names, stems unique across all bodies and places."""
    taken = {name[:-2] for name in SAMPLE_NAMES}
    places = _places(rng, max(4, count // 12), taken)
    bureaus: set[tuple[str, str]] = set()
    bodies: list[Body] = []
    while len(bodies) < count:
        kind = rng.choices(KINDS, KIND_WEIGHTS)[0]
        city, district = rng.choice(places)
        if kind == "局":
            bureau = rng.choice(BUREAUS)
            if (district, bureau) in bureaus:
                continue
            bureaus.add((district, bureau))
            name = (city if district.endswith("区") else "") + district + bureau
            bodies.append(Body(name, name, kind, district[:-1], city + district))
            continue
        stem = "".join(rng.choices(CHARS, k=rng.choice((2, 3, 3))))
        if stem in taken or len(stem) == 2 and kind != "街道":  # a 镇 of two characters would be 安平镇 = 安平 + 镇
            continue
        taken.add(stem)
        if kind == "街道":
            full = rng.choice((f"{city}{district}人民政府{stem}街道办事处", f"{stem}街道办事处", f"{stem}街道"))
            bodies.append(Body(stem + "街道", full, kind, stem, city + district))
        else:
            name = rng.choice((f"{district}{stem}{kind}", f"{stem}{kind}"))
            bodies.append(Body(name, name + "人民政府", kind, stem, district))
    return bodies


def _wild_sentences() -> list[str]:
    """Sentences of the real reports and the samples that can stand in any report's text, their places written
    {place} and the samples' 街道 {kind}: no table labels, section titles, contacts or names of real bodies."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(WILD.glob("*.txt"))]
    texts = [t.split("==== 正文 ====", 1)[-1] for t in texts]
    samples = "|".join(SAMPLE_NAMES) + "|" + "|".join(n[:-2] for n in SAMPLE_NAMES)
    texts += [re.sub(samples, "{place}", p.read_text(encoding="utf-8")).replace("街道", "{kind}")
              for p in sorted(REPORTS.glob("*.txt"))]
    sentences = []
    for text in texts:
        text = _WILD_NAMES.sub("{place}", re.sub(r"\s+", "", text))
        for sentence in re.split(r"(?<=[。！？])", text):
            sentence = re.sub(r"^[（(][一二三四五六七八九十\d]+[)）]|^[一二三四五六七八九十]是", "", sentence)
            if 15 <= len(sentence) <= 150 and sentence.endswith("。") and not _NOT_TEXT.search(sentence) \
                    and len(_DIGITS.findall(sentence)) <= 6:
                sentences.append(sentence)
    return sorted(set(sentences))


def _real_like(sentence: str, body: Body, year: int, rng: random.Random) -> str:
    """A sentence of :func:`_wild_sentences` for ``body``'s report of ``year``: its place, its kind, new numbers."""
    sentence = sentence.replace("{place}", body.place).replace("{kind}", body.kind)
    if body.kind != "局":
        sentence = re.sub(r"我局|本局", "我" + body.kind, sentence)

    def number(match: re.Match[str]) -> str:
        digits = match.group()
        if len(digits) == 4 and digits.startswith(("19", "20")):
            return str(year)
        return str(rng.randint(10 ** (len(digits) - 1) if len(digits) > 1 else 0, 10 ** len(digits) - 1))
    return _DIGITS.sub(number, sentence)


def _render_body(sample: Sample, body: Body, year: int, sentences: list[str], rng: random.Random,
                 carried_in: int | None) -> tuple[str, list[int]]:
    text = sample.text
    for written in (SAMPLE_FULL.get(sample.full_name), sample.full_name + "办事处"):
        if written:
            text = text.replace(written, body.full)
    text = sample.names.sub(lambda m: body.name if m.group() == sample.full_name else body.stem, text)
    if body.kind != "街道":
        text = text.replace("街道办事处", body.kind if body.kind == "局" else body.kind + "人民政府")
        text = text.replace("街道", body.kind)
    text = ANY_YEAR.sub(lambda m: str(int(m.group()) + year - sample.year), text)
    lines = text.split("\n")
    totals = _fill(sample, lines, rng, carried_in)
    head = 0  # the sample's own title lines go: the new title names the body
    while head < min(3, len(lines)) and len(lines[head]) <= 60 and "。" not in lines[head] and "\t" not in lines[head] \
            and not re.match(r"\s*[一二三四五六]、", lines[head]):
        head += 1
    for i, line in enumerate(lines):  # text paragraphs (no table cells): real sentences after them
        if "\t" not in line and "。" in line and len(line) >= 40:
            lines[i] = line + "".join(_real_like(s, body, year, rng) for s in rng.sample(sentences, rng.randint(1, 3)))
    title = f"{body.full}{year}年度政府信息公开工作年度报告"
    return "\n".join([title] + lines[head:]), totals


def generate_bodies(out_dir: Path, bodies: int, years: tuple[int, ...] = (2019, 2020, 2021, 2022, 2023),
                    seed: int = 0) -> list[Made]:
    """Write one report per body and year to ``out_dir`` (created if needed); see the module docstring."""
    samples = [_load(path) for path in sorted(REPORTS.glob("*.txt"))]
    if not samples:
        raise ValueError(f"no sample reports in {REPORTS}")
    sentences = _wild_sentences()
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    made: list[Made] = []
    for number, body in enumerate(_bodies(rng, bodies)):
        sample = samples[rng.randrange(len(samples))]
        carried: int | None = None  # a body's 上年结转 is its 结转下年度 of the year before (the samples' 法人 cells: 0)
        for year in years:
            text, totals = _render_body(sample, body, year, sentences, rng, carried)
            carried = totals[-1]
            path = out_dir / f"b{number:05d}_{year}.txt"
            path.write_text(text, encoding="utf-8")
            made.append(Made(path, body, year, dict(zip(T3_ROWS, totals))))
    return made


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
