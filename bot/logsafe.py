"""Keep the bot token out of every log record, whoever logs it (python-telegram-bot logs its API URLs at DEBUG)."""
from __future__ import annotations

import logging

__all__ = ["redact_in_logs", "redact"]

_secrets: set[str] = set()
_EAGER = ("telegram", "httpx", "httpcore")
_installed = False


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``***``."""
    for s in _secrets:
        text = text.replace(s, "***")
    return text


def redact_in_logs(secret: str) -> None:
    """From now on, every log record replaces ``secret`` with ``***`` in its message, arguments and traceback.

    A record factory sees each record as it is made, so this holds for all loggers and handlers, pytest's too.
    """
    global _installed
    if not secret:
        return
    _secrets.add(secret)
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        message = record.getMessage()
        # Records of the HTTP and Telegram libraries are formatted now: they log objects that are changed after
        # the call (a getFile result gains the file URL, token included), which lazy formatting would pick up.
        if any(s in message for s in _secrets) or record.name.startswith(_EAGER):
            record.msg, record.args = redact(message), ()
        if record.exc_info and record.exc_info[0] is not None:
            # The traceback is formatted now and redacted (telegram.error.InvalidToken quotes the token); handlers
            # use this text and never format the exception themselves.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
