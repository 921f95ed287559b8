"""``python -m bot``: with TELEGRAM_BOT_TOKEN the Telegram bot (long polling), without it the console chat."""
from __future__ import annotations

import argparse
import logging
import os
import sys

from ingest.config import load_config

__all__ = ["run_main", "configure_logging", "startup_error"]

EPILOG = """\
示例:
  python -m bot                         没有 TELEGRAM_BOT_TOKEN 时进入控制台问答
  TELEGRAM_BOT_TOKEN=123:abc python -m bot      启动 Telegram 机器人（长轮询）
  python -m bot ask 桥头胡2020年收到多少申请      回答一个问题（--json 输出 JSON）
  python -m bot eval tests/fixtures/gold/seeds_gold.jsonl       评测

环境变量：TELEGRAM_BOT_TOKEN（机器人令牌），TELEGRAM_API_BASE_URL / TELEGRAM_API_FILE_URL（自建 Bot API 服务器），
NIANBAO_ADMIN_IDS（管理员 id，逗号分隔），NIANBAO_CONFIG（配置文件）。
"""


def _retry_in_one_line(record: logging.LogRecord) -> bool:
    """python-telegram-bot logs each failed network attempt (polling, start-up) with its whole traceback: one line,
    ending with the error, says it."""
    if record.name.startswith("telegram.ext") and "Network Retry Loop" in record.getMessage() and record.exc_text:
        last = record.exc_text.strip().splitlines()[-1]
        record.msg, record.args = f"{record.getMessage()} ({last})", ()
        record.exc_text = None
        record.exc_info = None
    return True


def configure_logging() -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    for handler in logging.getLogger().handlers:
        handler.addFilter(_retry_in_one_line)
    # At INFO, httpx logs every request URL, and those URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def run_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", formatter_class=argparse.RawDescriptionHelpFormatter,
                                     description="年报问答机器人：Telegram 或控制台。子命令 ask、eval 见 --help。",
                                     epilog=EPILOG)
    parser.add_argument("--config", metavar="FILE", help="配置文件（默认 ./config.toml 或 NIANBAO_CONFIG）")
    parser.add_argument("--console", action="store_true", help="即使设置了令牌也用控制台")
    args = parser.parse_args(argv)
    config = load_config(args.config)
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token or args.console:
        from .console import run_console

        return run_console(config)
    configure_logging()
    from .app import build_application, run_polling

    try:
        run_polling(build_application(config, token))
    except Exception as e:  # start-up failures: one line each, never the token
        print(f"错误：{startup_error(e)}", file=sys.stderr)
        return 2
    return 0


def startup_error(error: Exception) -> str:
    """What went wrong starting the bot, in one line without the token."""
    from telegram.error import InvalidToken, NetworkError, TimedOut

    from .logsafe import redact

    if isinstance(error, InvalidToken):
        return "Telegram 不接受这个机器人令牌（401/404）：请检查 TELEGRAM_BOT_TOKEN，或 TELEGRAM_API_BASE_URL 指的服务器。"
    if isinstance(error, (TimedOut, NetworkError)):
        return f"连不上 Telegram Bot API（{redact(str(error))[:160]}）：请检查网络或 TELEGRAM_API_BASE_URL。"
    return f"机器人没能启动：{error.__class__.__name__}：{redact(str(error))[:200]}"
