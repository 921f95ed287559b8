"""The console chat: the same answering core over standard input and output, for trying it without Telegram."""
from __future__ import annotations

import sys
from typing import TextIO

from index.followup import Context
from index.service import Answerer
from ingest.config import Config

from .listing import check_args, check_text, reports_text
from .render import render_text
from .texts import EXAMPLES, T

__all__ = ["run_console"]


def run_console(config: Config, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    service = Answerer(config)
    interactive = stdin.isatty()
    conversation = Context()  # 那2020年呢 goes on from the question before; /new forgets it
    try:
        print(T.CONSOLE_INTRO, file=stdout)
        for example in EXAMPLES:
            print(f"  · {example}", file=stdout)
        for notice in service.notices:
            print(f"提示：{notice}", file=stdout)
        while True:
            if interactive:
                print(T.PROMPT, end="", file=stdout, flush=True)
            line = stdin.readline()
            if not line:
                break
            text = line.strip()
            if text in ("exit", "quit", "退出", "/exit", "/quit"):
                break
            if not text:
                continue
            if text in ("/help", "帮助"):
                reply = T.HELP
            elif text == "/reports":
                reply = reports_text(config)
            elif text.startswith("/check"):
                reply = check_text(config, *check_args(text.split()[1:]))
            elif text == "/new":
                conversation, reply = Context(), T.NEW_TOPIC
            elif text.startswith("/export"):
                reply = T.EXPORT_CONSOLE
            elif text == "/start":
                reply = T.START + "\n" + "\n".join(f"  · {q}" for q in EXAMPLES)
            else:
                answer, conversation = service.answer_in(text, conversation)
                reply = render_text(answer)
            print(reply + "\n", file=stdout, flush=True)
        print(T.CONSOLE_BYE, file=stdout)
    finally:
        service.close()
    return 0
