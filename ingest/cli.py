"""``python -m ingest``: build the store from report files, and ``python -m ingest check`` to list findings."""
from __future__ import annotations

import argparse
import gc
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from .config import load_config
from .errors import NianbaoError
from .ledger import Ledger
from .pipeline import Batch, FileOutcome, Parsed, collect_files, file_digest, printable_name, read_files, usable_cores
from .safeout import guard_stdout
from .sandbox import SandboxedParser
from .store import SCHEMA_VERSION, Store, StoreVersionError, parser_version, stored_version

__all__ = ["main"]

_STATUS = {"added": "新增", "replaced": "替换", "reparsed": "重新解析", "unchanged": "未变", "superseded": "已被取代",
           "failed": "失败"}

INGEST_EPILOG = """\
示例:
  python -m ingest                          读入配置里的报告文件夹（默认 data/reports）
  python -m ingest 报告/ 东柳2020.docx      读入一个文件夹和一个文件
  python -m ingest --config other.toml      用另一份配置（也可设置 NIANBAO_CONFIG）
  python -m ingest check                    列出所有一致性检查发现
  python -m ingest check 左家庄街道 2019     只看某个机关、某一年
  python -m ingest check --summary          一致性概览：问题最多的机关排在前面
  python -m ingest check 左家庄街道 2019 --sheet   一份报告的体检单
  python -m ingest audit 报告/              逐个文件检查解析质量（不改动数据库）

支持 .txt .md .html .htm .docx .pdf。同一文件再次读入不做任何改变；同一机关同一年度的新文件替换旧报告，
被替换的文件、从报告文件夹以外入库的文件记在报告文件夹的 .nianbao-ledger.json 里：重建时前者不再读回，后者照样读入；
单独点名入库一个旧版本则改回它。
有文件失败时退出码为 1，其余文件照常入库。
"""

AUDIT_EPILOG = """\
示例:
  python -m ingest audit                    检查配置里的报告文件夹
  python -m ingest audit 报告/ --json       每个文件一行 JSON，最后一行是汇总

不改动数据库：只读文件、解析、统计。每个文件一行：是否能入库（不能的原因）、机关、年度、格式、各表是否完整、
单元格怎样读出（原样、唯一拆分、按勾稽关系拆分、相邻重复还原、未知、空白）、检查和不成立的勾稽规则。
最后一行汇总；其中“表三完整且勾稽关系成立”的比例是解析质量的主要指标。
✓ 表示表三完整且成立（或是节选），⚠ 表示表三有未知单元格、不完整或勾稽关系不成立，✗ 表示不能入库。
有文件不能入库或路径不存在时退出码为 1。
"""

CHECK_EPILOG = """\
示例:
  python -m ingest check                          列出全部勾稽关系问题，每条一行
  python -m ingest check 左家庄街道                只看某个机关（简称也可）
  python -m ingest check 左家庄街道 2019           只看某个机关、某一年
  python -m ingest check --summary                一致性概览：问题最多的 20 个机关，各自问题多在哪些行
  python -m ingest check --summary 2020 --top 5   只看 2020 年的报告，列出前 5 个
  python -m ingest check 左家庄街道 2019 --sheet   一份报告的体检单：统计表是否齐全、单元格怎样读出、
                                                  勾稽规则核对和不成立的条数、与上下年度报告的结转是否对得上

概览的排序：先看勾稽关系不成立的条数，再看缺表或表不完整，再看无法确定或报告缺行的单元格。
这些都是报告原文的情况（或原文的版式读不出），本工具不做更正。
"""


def _ingest_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ingest", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=INGEST_EPILOG,
        usage="python -m ingest [--config FILE] [--quiet] [--no-index] [PATH ...]\n"
              "       python -m ingest check [机关] [年度] [--summary | --sheet]  （勾稽关系问题，见 check --help）\n"
              "       python -m ingest audit [PATH ...] [--json] （解析质量，不改动数据库，见 audit --help）",
        description="把政府信息公开工作年度报告解析入库（表二、三、四的每个单元格，各部分正文），并做勾稽关系检查。")
    parser.add_argument("--config", metavar="FILE", help="配置文件（默认 ./config.toml 或 NIANBAO_CONFIG）")
    parser.add_argument("--quiet", action="store_true", help="不显示进度条")
    parser.add_argument("--no-index", action="store_true", help="只入库，不更新向量索引")
    parser.add_argument("--jobs", "-j", type=int, default=usable_cores(), metavar="N",
                        help=f"同时解析的文件数（每个在自己的子进程里，用一个 CPU 核；默认本机可用的核数 {usable_cores()}）")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="报告文件或文件夹（默认：配置里的 reports 文件夹）")
    return parser


def _audit_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ingest audit", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=AUDIT_EPILOG,
        description="逐个文件检查解析质量（不改动数据库）。")
    parser.add_argument("--config", metavar="FILE", help="配置文件（默认 ./config.toml 或 NIANBAO_CONFIG）")
    parser.add_argument("--json", action="store_true", help="输出 JSON：每个文件一行，最后一行是汇总")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="报告文件或文件夹（默认：配置里的 reports 文件夹）")
    return parser


def _year(text: str) -> int:
    if not re.fullmatch(r"(?:19|20)\d\d年?", text):
        raise argparse.ArgumentTypeError(f"“{text}”不是年度；写成 2019 这样的四位数")
    return int(text[:4])


def _check_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ingest check", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=CHECK_EPILOG,
        description="列出入库时发现的勾稽关系问题（报告原文如此，本工具不做更正）。")
    parser.add_argument("--config", metavar="FILE", help="配置文件")
    parser.add_argument("body", nargs="?", help="机关名称（完整名称或简称）")
    parser.add_argument("year", nargs="?", type=_year, help="年度，例如 2019")
    shown = parser.add_mutually_exclusive_group()
    shown.add_argument("--summary", action="store_true", help="一致性概览：按问题多少给机关排序")
    shown.add_argument("--sheet", action="store_true", help="每份报告一张体检单（要写明机关）")
    parser.add_argument("--top", type=_positive, default=20, metavar="N", help="概览列出前 N 个机关（默认 20）")
    return parser


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"“{text}”不是正整数；写成 --top 10 这样")
    return int(text)


def summary_line(outcome: FileOutcome) -> str:
    """One line per file: body, year, format, cells, passages, findings — or the error."""
    name = printable_name(outcome.path.name)
    if outcome.status == "failed":
        return f"✗ {printable_name(outcome.error or '')}"
    if outcome.status == "unchanged":
        return f"· {name}：已入库，内容未变"
    if outcome.status == "superseded":
        return (f"· {name}：是旧版本，这份报告现由 {outcome.replaced_source} 提供，未改动"
                f"（要改回这一版，单独入库这个文件：python -m ingest {outcome.path}）")
    r = outcome.report
    assert r is not None
    unknown = sum(1 for c in r.cells if c.status == "unknown")
    extra = f"，{unknown} 个单元格无法确定" if unknown else ""
    extra += tables_note(r.tables)
    replaced = f"（替换 {outcome.replaced_source}）" if outcome.replaced_source else ""
    excerpt = "报告的节选（文件未写机关和年度，按数字认定）" if r.part == "excerpt" else ""
    return (f"✓ {name}：{r.body} {r.year}年{excerpt} {r.format}版格式，{len(r.cells)} 个单元格{extra}，{len(r.passages)} 段文本，"
            f"{len(r.findings)} 条勾稽问题 [{_STATUS[outcome.status]}]{replaced}")


def tables_note(tables) -> str:
    """"，表三不完整，表四不在文本中" for a report whose tables are cut off or missing (empty when all are there)."""
    states = dict(tables)
    parts = []
    incomplete = [n for n in ("二", "三", "四") if states.get(n) == "incomplete"]
    missing = [n for n in ("二", "三", "四") if states.get(n) == "missing"]
    if incomplete:
        parts.append("、".join(f"表{n}" for n in incomplete) + "不完整（文本截断）")
    if missing:
        parts.append("、".join(f"表{n}" for n in missing) + "不在文本中（截去或是图片）")
    return "".join(f"，{p}" for p in parts)


def _set_aside_old_store(database: Path, index: Path) -> Path | None:
    """A database of an older schema is derived data: keep it beside as a backup and build a new one. The dense
    index goes aside with it (its ids are the old store's passage ids); the vectors stay cached for the rebuild."""
    version = stored_version(database)
    if version in (None, 0, SCHEMA_VERSION):
        return None
    if version > SCHEMA_VERSION:
        raise StoreVersionError(f"数据库 {database} 是更新版本的 nianbao 写的（格式 {version}，本程序是 "
                                f"{SCHEMA_VERSION}）；请升级 nianbao，或换一个 database 路径。")
    backup = database.with_name(f"{database.name}.v{version}.bak")
    for suffix in ("", "-journal"):
        if Path(f"{database}{suffix}").exists():
            os.replace(f"{database}{suffix}", f"{backup}{suffix}")
    current = index / "current"
    if current.is_symlink() or current.exists():
        os.replace(current, index / f"current.v{version}.bak")
    return backup


def run_ingest(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    paths = [Path(p) for p in args.paths] or [config.paths.reports]
    if backup := _set_aside_old_store(config.paths.database, config.paths.index):
        print(f"数据库 {config.paths.database} 是旧版本的格式，已另存为 {backup.name}；现从报告文件夹 "
              f"{config.paths.reports} 重建。")
        if config.paths.reports not in paths:
            paths.insert(0, config.paths.reports)
    missing = [p for p in paths if not p.exists()]
    files = collect_files(p for p in paths if p.exists())
    ledger = Ledger(config.paths.reports)
    if [p.resolve() for p in paths] == [config.paths.reports.resolve()]:  # the folder, as a rebuild reads it,
        served = _served(config.paths.database)
        files += _stored_elsewhere(served, ledger, files)  # with what came from outside it
        for line in _served_without_file(served, files, ledger):
            print(line)
    ledger.present(file_digest(p) for p in files)
    failed = [FileOutcome(p, "failed", error=f"{p}：找不到这个文件或文件夹。") for p in missing]
    for outcome in failed:
        print(summary_line(outcome))
    if not files and not missing:
        print(f"{', '.join(map(str, paths))} 里没有报告文件（支持 .txt .md .html .htm .docx .pdf）。")
        return 1
    from tqdm import tqdm

    counts = {key: 0 for key in _STATUS}
    counts["failed"] = len(failed)
    named = {p.resolve() for p in paths if p.is_file()}  # given by name: an older version given is served again

    # each file parsed in a child process under limits on memory and time, as many at once as --jobs; the
    # children are started here, before any thread, so each is a fork of this process as it is now
    parsers = [SandboxedParser() for _ in range(max(1, args.jobs))]
    gc.freeze()  # what is loaded by now lives as long as the process: the collector need not walk it again (8 %)
    for parser in parsers:
        parser.start()

    def read(paths) -> Iterator[tuple[Path, Parsed | FileOutcome]]:
        return read_files(paths, store, parsers, explicit=lambda path: path.resolve() in named, ledger=ledger)

    with Store(config.paths.database) as store:
        files = _in_reading_order(files, store)
        bar = tqdm(files, unit="份", desc="入库", disable=args.quiet or not sys.stderr.isatty(), leave=False)
        counting = True  # the settling pass below re-reads files already counted

        def committed(outcomes: list[FileOutcome]) -> None:  # said once stored, never before
            for outcome in outcomes:
                ledger.note(outcome)
                if counting:
                    counts[outcome.status] += 1
                    _print(bar.write, outcome)

        try:
            later: list[Path] = []  # excerpts that name no body: tried again once the other files are in
            with Batch(store, committed) as batch:  # parsed first, then written in one short transaction
                for path, item in read(bar):
                    if isinstance(item, FileOutcome) and item.unidentified:
                        later.append(path)
                    else:
                        batch.add(item)
            with Batch(store, committed) as batch:
                for _, item in read(later):
                    batch.add(item)
            counting = False
            for _ in range(2):  # files a re-read reading moved away from are to be read again: settled here
                again = [p for p in _in_reading_order(files, store) if _stored_by_other_code(p, store)]
                with Batch(store, committed) as batch:
                    for _, item in read(again):
                        batch.add(item)
        finally:  # also on Ctrl-C or an error: what was committed is recorded
            if warning := ledger.save():
                print(f"! {warning}")
        if counts["added"] or counts["replaced"] or counts["reparsed"]:
            store.analyze()  # the planner's statistics, for what changed (a run that changes nothing writes nothing)
        totals = store.counts()
    for parser in parsers:
        parser.close()
    reparsed = f"，重新解析 {counts['reparsed']}（程序更新后按新的解析重读）" if counts["reparsed"] else ""
    superseded = f"，旧版本 {counts['superseded']}（已被更新的文件取代）" if counts["superseded"] else ""
    print(f"完成：新增 {counts['added']}，替换 {counts['replaced']}{reparsed}，未变 {counts['unchanged']}{superseded}，"
          f"失败 {counts['failed']}。"
          f"库中共 {totals['reports']} 份报告、{totals['cells']} 个单元格、{totals['passages']} 段文本、"
          f"{totals['findings']} 条勾稽问题（{config.paths.database}）。")
    if not args.no_index and (counts["added"] or counts["replaced"] or counts["reparsed"]):
        # The write path keeps the read path's dense index current; imported here, at the entry point only.
        from index.cli import update_index

        print(update_index(config, args.quiet))
    return 1 if counts["failed"] else 0


def _served(database: Path) -> list[tuple[str, int, str, str, bool]]:
    """(body, year, source, digest, read by this code) of every report the store serves; none without a store of
    this schema."""
    if not database.exists() or stored_version(database) != SCHEMA_VERSION:
        return []
    with Store(database, readonly=True) as store:
        return [(body, year, source, sha, parser == parser_version()) for body, year, source, sha, parser in
                store.conn.execute("SELECT r.body, r.year, r.source, r.sha256, f.parser FROM reports r "
                                   "LEFT JOIN files f ON f.sha256 = r.sha256 ORDER BY r.body, r.year")]


def _served_without_file(served, files: list[Path], ledger: Ledger) -> list[str]:
    """A line for each report the store serves whose file is neither in the folder nor where the folder's record
    says it came from (deleted or moved): it is answered from until a rebuild, which will not have it."""
    digests = {file_digest(p) for p in files} | {sha for sha, path in ledger.elsewhere.items() if Path(path).is_file()}
    return [f"! {body} {year}年：文件 {printable_name(source)} 已不在报告文件夹里；库中的报告仍在回答，重建后不再有"
            for body, year, source, sha, _ in served if sha not in digests]


def _stored_elsewhere(served, ledger: Ledger, files: list[Path]) -> list[Path]:
    """The files once stored from outside the reports folder that the store does not hold now, as this code reads
    them (a fresh deploy, a rebuild, an upgrade): read again where they are. Those no longer there are named."""
    elsewhere, gone = ledger.files_elsewhere({sha for _, _, _, sha, current in served if current})
    for path in gone:
        print(f"! {path}：曾从报告文件夹以外入库，现已不在原处，读不到它")
    return [p for p in elsewhere if p not in files]


def _in_reading_order(files: list[Path], store: Store) -> list[Path]:
    """Files stored before (by other parsing code) first, in the order they first came, then the new ones as
    given: a body and year ends with the newest file for it, whatever code read the older ones."""
    came = {path: store.first_stored(digest) if (digest := file_digest(path)) else None for path in files}
    return sorted(files, key=lambda p: (came[p] is None, came[p] or 0.0))


def _stored_by_other_code(path: Path, store: Store) -> bool:
    digest = file_digest(path)
    return digest is not None and store.first_stored(digest) is not None and not store.has_file(digest)


def _print(write, outcome: FileOutcome) -> None:
    warnings = [f"    ! {w}" for w in (outcome.report.warnings if outcome.report else ())]
    for line in [summary_line(outcome)] + warnings[:6]:
        write(line)


def run_check(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    if not config.paths.database.exists():
        print(f"还没有数据库 {config.paths.database}；先运行 python -m ingest。")
        return 1
    with Store(config.paths.database, readonly=True) as store:
        from index.commands import check_args, check_scope  # a name is read as a question reads it (简称, a slip)

        body, year = check_args([args.body or "", str(args.year or "")])
        if args.sheet and body is None:
            print("--sheet 要写明机关，例如：python -m ingest check 左家庄街道 2019 --sheet")
            return 2
        scope = check_scope(store.reports(), body, year)
        if scope.refusal:
            print(scope.refusal)
            return 1
        if args.summary or args.sheet:
            return _health(store, args, scope.bodies, year)
        findings = store.findings(scope.bodies, year)
    if not findings:
        named = "、".join(scope.bodies) if scope.bodies else "库中报告"
        print(f"{named}{f' {year}年' if year else ''}：没有发现勾稽关系问题。")
        return 0
    for report, finding in findings:
        print(f"{finding.message}    〔{report['source']}〕")
    print(f"共 {len(findings)} 条。")
    return 0


def _health(store: Store, args: argparse.Namespace, bodies: list[str] | None, year: int | None) -> int:
    """``check --summary`` (the overview) or ``check 机关 [年度] --sheet`` (one sheet per report)."""
    from . import health

    if args.summary:
        overview = health.summary(store, top=args.top, bodies=bodies, year=year)
        lines = health.render_summary(overview)
        if overview.troubled:
            lines.append("看一份报告的体检单：python -m ingest check 机关 年度 --sheet")
    else:
        lines = []
        for sheet in health.sheets(store, bodies or [], year):
            lines += ([""] if lines else []) + health.render_sheet(sheet)
    for line in lines:
        print(line)
    return 0


_HOW = (("stated", "原样"), ("split", "唯一拆分"), ("arithmetic", "按勾稽关系拆分"), ("repeats", "相邻重复还原"),
        ("unknown", "未知"), ("blank", "空白"))


def audit_line(h) -> str:
    if not h.stored:
        return f"✗ {h.error}"
    states = {"complete": "完整", "incomplete": "不完整", "missing": "缺"}
    tables = "，".join(f"表{n}{states[s]}" for n, s in h.tables.items())
    cells = "，".join(f"{label} {h.cells[key]}" for key, label in _HOW if h.cells.get(key)) or "无"
    part = "（节选）" if h.part == "excerpt" else ""
    verdict = "表三完整且成立" if h.t3_whole else "表三：" + "；".join(h.t3_problems or ("不完整",))
    mark = "✓" if h.t3_whole or h.part == "excerpt" else "⚠"
    return (f"{mark} {h.file}：{h.body} {h.year}年{part} {h.format}版；{tables}；单元格 {cells}；"
            f"规则 检查 {h.rules_checked}，不成立 {h.rules_failed}；{verdict}")


def run_audit(args: argparse.Namespace) -> int:
    import json

    from .audit import audit_files, summary

    config = load_config(args.config)
    paths = [Path(p) for p in args.paths] or [config.paths.reports]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"找不到：{'、'.join(map(str, missing))}（跳过）", file=sys.stderr)
    health = audit_files(collect_files([p for p in paths if p.exists()]))
    total = summary(health)
    failed = 1 if missing or total["refused"] else 0
    if args.json:
        for h in health:
            print(json.dumps(h.to_json(), ensure_ascii=False))
        print(json.dumps({"summary": total | {"missing": [str(p) for p in missing]}}, ensure_ascii=False))
        return failed
    if not health:
        print("没有可检查的报告文件（支持 .txt .md .html .htm .docx .pdf）。")
        return 1
    for h in health:
        print(audit_line(h))
    share = f"{total['table3_whole_share']:.1%}" if total["table3_whole_share"] is not None else "—"
    cells = "，".join(f"{label} {total['cells'][key]}" for key, label in _HOW if total["cells"].get(key)) or "无"
    print(f"共 {total['files']} 个文件：可入库 {total['stored']}（完整报告 {total['full_reports']}，节选 "
          f"{total['excerpts']}），拒收 {total['refused']}。表三完整且勾稽关系成立：{total['table3_whole']}/"
          f"{total['full_reports']} 份完整报告（{share}）。单元格：{cells}。勾稽规则：检查 {total['rules_checked']}，"
          f"不成立 {total['rules_failed']}。")
    return failed


_COMMANDS = ("check", "audit")


def _command_position(argv: list[str]) -> int | None:
    """Where a command (check, audit) stands as the first positional argument (after options such as --config
    FILE), if one does."""
    i = 0
    while i < len(argv):
        if argv[i] == "--config":
            i += 2
            continue
        if argv[i].startswith("-"):
            i += 1
            continue
        return i if argv[i] in _COMMANDS else None
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if sys.stdout is sys.__stdout__:
        guard_stdout()  # `python -m ingest | head -1`: every file still stored and indexed
    try:
        position = _command_position(argv)
        if position is not None:
            rest = argv[:position] + argv[position + 1:]
            if argv[position] == "audit":
                return run_audit(_audit_parser().parse_args(rest))
            return run_check(_check_parser().parse_args(rest))
        return run_ingest(_ingest_parser().parse_args(argv))
    except NianbaoError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断；已入库的报告保留，未完成的那一份没有写入。", file=sys.stderr)
        return 130


