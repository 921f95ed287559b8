"""Start-up failures are one clear line each, and the token appears nowhere: not in the line, not in a log record's
message, not in its traceback (telegram.error.InvalidToken quotes the token it was given)."""
from __future__ import annotations

import asyncio
import logging

from bot.run import run_main

from .conftest import TOKEN, token_records


def _start(monkeypatch, workspace, token: str, base: str) -> int:
    asyncio.set_event_loop(asyncio.new_event_loop())  # run_polling closes the loop it ran on, as one process does
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", base)
    return run_main(["--config", str(workspace / "config.toml")])


def test_a_rejected_token_is_one_line_without_the_token(fake_api, workspace, monkeypatch, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = TOKEN.replace("TEST", "WRONG")  # the fake server answers 401 to any other token
    fake_api.token = TOKEN
    assert _start(monkeypatch, workspace, wrong, fake_api.url) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("错误：Telegram 不接受这个机器人令牌") and wrong not in "\n".join(err)
    leaked = [r for r in caplog.records if wrong in r.getMessage() or wrong in (r.exc_text or "")]
    assert not leaked


def test_an_unreachable_api_is_one_line_and_no_traceback(workspace, monkeypatch, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    assert _start(monkeypatch, workspace, TOKEN, "http://127.0.0.1:9") == 2
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines()[-1].startswith("错误：连不上 Telegram Bot API")
    assert "Traceback" not in captured.err and TOKEN not in captured.err + captured.out
    assert not token_records(caplog.records)


def test_a_logged_traceback_is_redacted(caplog):
    from bot.logsafe import redact_in_logs

    redact_in_logs(TOKEN)
    caplog.set_level(logging.DEBUG)
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
    except RuntimeError:
        logging.getLogger("nianbao.test").exception("start-up failed")
    assert caplog.records and not token_records(caplog.records)
    assert "***" in caplog.records[-1].exc_text
