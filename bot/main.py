"""``python -m bot``: the Telegram bot (with TELEGRAM_BOT_TOKEN) or a console chat; ``ask`` and ``eval`` commands."""
from __future__ import annotations

import sys

from ingest.errors import NianbaoError
from ingest.safeout import guard_stdout

__all__ = ["main"]


def main(argv: list[str]) -> int:
    if sys.stdout is sys.__stdout__:
        guard_stdout()  # `python -m bot ask … | head -1`: no BrokenPipeError traceback
    try:
        if argv[:1] == ["ask"]:
            from .cli import ask_main

            return ask_main(argv[1:])
        if argv[:1] == ["eval"]:
            from .cli import eval_main

            return eval_main(argv[1:])
        from .run import run_main

        return run_main(argv)
    except NianbaoError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
