"""``python -m bot ask`` and ``python -m bot eval``: the answering core from the command line."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from index.service import Answerer
from ingest.config import load_config

from .render import render_text

__all__ = ["ask_main", "eval_main"]

ASK_EPILOG = """\
示例:
  python -m bot ask 桥头胡2020年收到多少申请
  python -m bot ask --json 东柳街道有哪些改进措施
  printf '桥头胡2020年收到多少申请\\n王家街道微信公众号叫什么\\n' | python -m bot ask --json -
  python -m bot ask --chart 趋势.png 东柳街道历年收到多少申请     趋势画成折线图，排名、对比画成条形图
"""
EVAL_EPILOG = """\
示例:
  python -m bot eval tests/fixtures/gold/seeds_gold.jsonl
  python -m bot eval --mode bm25 tests/fixtures/gold/seeds_gold.jsonl
"""


def _service(config_path: str | None, lazy: bool = False) -> Answerer:
    service = Answerer(load_config(config_path), lazy=lazy)
    _tell(service, [])
    return service


def _tell(service: Answerer, told: list[str]) -> None:
    """The service's notices not said yet, on stderr (a lazy service finds some at its first text question)."""
    for notice in service.notices:
        if notice not in told:
            print(f"提示：{notice}", file=sys.stderr)
            told.append(notice)


def ask_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot ask", formatter_class=argparse.RawDescriptionHelpFormatter,
                                     description="回答一个关于政府信息公开工作年度报告的问题，并给出出处。", epilog=ASK_EPILOG)
    parser.add_argument("--config", metavar="FILE", help="配置文件（默认 ./config.toml 或 NIANBAO_CONFIG）")
    parser.add_argument("--json", action="store_true", help="输出 JSON 对象，每个问题一行；用 - 读标准输入时每行输入恰好对应一行输出（空行也是）")
    parser.add_argument("--chart", metavar="FILE.png", type=Path,
                        help="回答是趋势、排名或对比时，把图表存为这个 PNG（从标准输入读多个问题时依次编号 FILE-1.png…）；"
                             "JSON 输出的 chart_file 给出文件名")
    parser.add_argument("question", nargs="+", help="问题；用 - 从标准输入逐行读取问题")
    args = parser.parse_args(argv)
    service = _service(args.config, lazy=True)  # a number never loads the dense index and its model
    told = list(service.notices)
    try:
        questions = sys.stdin if args.question == ["-"] else [" ".join(args.question)]
        asked = 0
        for line in questions:
            question = line.rstrip("\n")
            if args.question == ["-"] and not question.strip() and not args.json:
                continue  # (JSON keeps one line out for each line in, a blank one too: outputs stay aligned)
            answer = service.answer(question)
            _tell(service, told)
            asked += 1
            chart = _write_chart(answer, args.chart, asked if args.question == ["-"] else None) if args.chart else None
            if args.json:
                print(json.dumps({**answer.to_json(), "chart_file": chart}, ensure_ascii=False), flush=True)
            else:
                print(render_text(answer) + (f"\n图表：{chart}" if chart else ""), flush=True)
    finally:
        service.close()
    return 0


def _asked(service: Answerer, item, mode: str | None):
    """The answer to a gold item; a follow-up (``after``) is asked in a chat that asked those questions first."""
    if not item.after:
        return service.answer(item.question, mode=mode)
    from index.followup import Context

    context = Context()
    for before in item.after:
        _, context = service.answer_in(before, context, mode=mode)
    return service.answer_in(item.question, context, mode=mode)[0]


def _write_chart(answer, path: Path, number: int | None) -> str | None:
    """The answer's chart written as PNG to ``path`` (numbered FILE-N.png when several questions are read), or
    None when the answer has no chart."""
    if answer.chart is None:
        return None
    from .chart import render_chart

    target = path.with_name(f"{path.stem}-{number}{path.suffix or '.png'}") if number else path
    target.write_bytes(render_chart(answer.chart))
    return str(target)


def eval_main(argv: list[str]) -> int:
    from index.evaluate import judge, load_gold, summarize, verdict

    parser = argparse.ArgumentParser(
        prog="python -m bot eval", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EVAL_EPILOG,
        description="用评测文件检查回答：打印每道失败的题，以及各类题答对、答错（给出了错误的数字）、拒答（该给数字而没给）"
                    "和缺漏（缺少原文词句或出处）的题数。有答错时退出码为 1；--strict 时任何一道不通过都为 1。")
    parser.add_argument("--config", metavar="FILE", help="配置文件")
    parser.add_argument("--mode", choices=("hybrid", "bm25", "dense"), help="叙述类问题的检索方式（默认：可用时 hybrid）")
    parser.add_argument("--strict", action="store_true", help="任何一道题不通过都以退出码 1 结束（默认只看答错）")
    parser.add_argument("gold", type=Path, help="评测文件（JSON Lines，见 tests/fixtures/gold/README.md）")
    args = parser.parse_args(argv)
    items = load_gold(args.gold)
    service = _service(args.config)
    results = []
    started = time.perf_counter()
    try:
        for item in items:
            answer = _asked(service, item, args.mode)
            reasons = judge(item, answer)
            outcome = verdict(item, answer, reasons)
            results.append((item, outcome))
            if reasons:
                print(f"✗ {item.id} [{item.kind}] {_OUTCOME[outcome]} {item.question}\n    {'; '.join(reasons)}\n"
                      f"    回答：{answer.answer[:200]!r}")
    finally:
        service.close()
    elapsed = time.perf_counter() - started
    summary = summarize(results)
    for kind, c in sorted(summary.items()):
        print(f"{kind:10s} 答对 {c['right']}/{c['total']} ({c['right'] / c['total']:.0%})  答错 {c['wrong']}  "
              f"拒答 {c['refused']}  缺漏 {c['missed']}")
    right = sum(c["right"] for c in summary.values())
    wrong = sum(c["wrong"] for c in summary.values())
    refused = sum(c["refused"] for c in summary.values())
    print(f"总计 {right}/{len(items)} 通过，答错 {wrong}，拒答 {refused}，检索方式 {args.mode or service.mode}，"
          f"用时 {elapsed:.2f} 秒。")
    return 1 if wrong or (args.strict and right < len(items)) else 0


_OUTCOME = {"wrong": "答错", "refused": "拒答", "missed": "缺漏", "right": ""}
