"""End to end: the real python-telegram-bot Application, polling the fake Bot API server on 127.0.0.1.

Each test sends updates as a user would and asserts on what the server received: messages, their parse mode and
inline keyboards, chat actions, edits, button answers.
"""
from __future__ import annotations

import asyncio
import logging
import re
import sqlite3

import pytest

from bot.handlers import MAX_MESSAGE
from bot.render import render_html
from bot.texts import COMMANDS, EXAMPLES, T
from index.model import Answer, Citation
from ingest.config import load_config
from tests.conftest import SAMPLES

from .conftest import (ADMIN, QIAOTOUHU_FILE, USER, dump_database, folder_state, start_bot, stop_bot,
                       token_records, write_config)

QUESTION = "桥头胡2020年收到多少申请"
XINGGUANG_FILE = "星光街道2020年报.txt"


def received(text: str) -> int | None:
    """The number in a 'received applications' answer: '…新收政府信息公开申请18件（表三…）'."""
    match = re.search(r"(\d+)件（表三", text)
    return int(match[1]) if match else None


def xingguang_report() -> bytes:
    """桥头胡's 2020 report renamed 星光街道, with 25 applications received (18 → 25) and 14 carried over to next
    year (7 → 14), so that received + carried in (25 + 0) still equals handled + carried over (11 + 14)."""
    text = next(p for p in SAMPLES if p.name == QIAOTOUHU_FILE).read_text(encoding="utf-8")
    assert text.count("\t18\n") == 2 and text.count("\t7\n") == 2  # 自然人 and 总计 of each row, nothing else
    return text.replace("桥头胡", "星光").replace("\t18\n", "\t25\n").replace("\t7\n", "\t14\n").encode("utf-8")


async def upload(bot, user_id: int, name: str, data: bytes, *, final: str, mime: str = "text/plain") -> dict:
    """Send a document and wait for the bot's message containing ``final``."""
    since = bot.api.mark()
    bot.api.send_document(user_id, name, data, mime)
    return await bot.api.wait_message(user_id, contains=final, since=since, timeout=20)


def answering(answer):
    """A stand-in for ``Answerer.answer_in`` that answers with ``answer(question)`` and keeps the conversation."""
    return lambda question, context=None, mode=None: (answer(question), context)


def report_counts(database, body: str) -> tuple[int, int, int]:
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        (report_id, year), = conn.execute("SELECT id, year FROM reports WHERE body = ?", (body,)).fetchall()
        cells = conn.execute("SELECT count(*) FROM cells WHERE report_id = ?", (report_id,)).fetchone()[0]
        passages = conn.execute("SELECT count(*) FROM passages WHERE report_id = ?", (report_id,)).fetchone()[0]
        return year, cells, passages
    finally:
        conn.close()


# --- /start, questions, the source button --------------------------------------------------------------------

async def test_start_offers_three_examples_and_a_press_gets_an_answer(bot):
    bot.api.send_command(ADMIN, "start")
    greeting = await bot.api.wait_message(ADMIN)
    assert greeting["text"] == T.START
    keyboard = greeting["reply_markup"]["inline_keyboard"]
    assert [[(b["text"], b["callback_data"]) for b in row] for row in keyboard] == \
        [[(q, f"ask:{i}")] for i, q in enumerate(EXAMPLES)]
    assert keyboard[0][0]["text"] == QUESTION

    since = bot.api.mark()
    query_id = bot.api.press_button(ADMIN, data="ask:0")
    answer = await bot.api.wait_message(ADMIN, contains="桥头胡街道", since=since)
    assert received(answer["text"]) == 18
    assert answer["parse_mode"] == "HTML"
    assert [c.params["callback_query_id"] for c in bot.api.calls_of("answerCallbackQuery", since=since)] == [query_id]


async def test_question_gets_typing_then_cited_html_answer_and_the_source_on_request(bot):
    since = bot.api.mark()
    answer = await bot.ask(USER, QUESTION)
    calls = bot.api.calls_of(chat_id=USER, since=since)
    assert [c.method for c in calls] == ["sendChatAction", "sendMessage"]
    assert calls[0].params["action"] == "typing"
    assert answer["parse_mode"] == "HTML"
    assert received(answer["text"]) == 18
    citation = answer["text"].split("<b>出处</b>", 1)[1]
    assert "桥头胡街道" in citation and "2020" in citation and QIAOTOUHU_FILE in citation
    (button,), = answer["reply_markup"]["inline_keyboard"]
    assert button["text"] == "查看原文出处" and button["callback_data"].startswith("src:")

    since = bot.api.mark()
    query_id = bot.api.press_button(USER, text="查看原文出处")
    source = await bot.api.wait_message(USER, since=since)
    assert source["parse_mode"] == "HTML"
    assert "总计 18" in source["text"]
    assert "本年新收政府信息公开申请数量" in source["text"] and QIAOTOUHU_FILE in source["text"]
    assert bot.api.calls_of("answerCallbackQuery", since=since)[0].params["callback_query_id"] == query_id


async def test_a_name_not_held_offers_the_nearest_bodies_as_buttons(bot):
    # 西柳街道 is not held; 东柳街道 is one character away: offered, never answered in its place
    since = bot.api.mark()
    answer = await bot.ask(USER, "西柳街道2020年收到多少申请")
    assert "没有找到西柳街道" in answer["text"] and received(answer["text"]) is None
    buttons = [b for row in answer["reply_markup"]["inline_keyboard"] for b in row]
    assert any(b["text"] == "问“东柳街道”" and b["callback_data"].startswith("re:") for b in buttons), buttons

    since = bot.api.mark()
    bot.api.press_button(USER, text="问“东柳街道”")
    again = await bot.api.wait_message(USER, since=since)
    assert "东柳街道2020年新收政府信息公开申请0件" in again["text"], again["text"]


async def test_help_lists_the_commands_that_were_registered_at_start(bot):
    (registered,) = bot.api.calls_of("setMyCommands")
    assert [c["command"] for c in registered.params["commands"]] == \
        ["start", "help", "reports", "check", "export", "new", "reindex"]
    assert all(c["description"] for c in registered.params["commands"])

    bot.api.send_command(USER, "help")
    text = (await bot.api.wait_message(USER))["text"]
    for name, _ in COMMANDS:
        assert f"/{name}" in text


async def test_reports_lists_the_five_bodies(bot):
    bot.api.send_command(USER, "reports")
    text = (await bot.api.wait_message(USER))["text"]
    assert "已收录 5 份报告" in text
    for body, year in [("柴桥街道", 2019), ("东柳街道", 2020), ("桥头胡街道", 2020), ("王家街道", 2019),
                       ("左家庄街道", 2019)]:
        assert f"{body}：{year}年" in text


async def test_check_ranks_the_bodies_and_gives_one_reports_health_sheet(bot):
    since = bot.api.mark()
    bot.api.send_command(USER, "check")
    text = (await bot.api.wait_message(USER, since=since))["text"]
    assert "1. 左家庄街道（2019年）：2 条勾稽关系不成立" in text  # the only sample whose rules fail
    assert "/check 机关 年度" in text

    since = bot.api.mark()
    bot.api.send_command(USER, "check", "柴桥街道", "2019")
    text = (await bot.api.wait_message(USER, since=since))["text"]
    assert text.startswith("柴桥街道 2019年") and "全部成立" in text

    since = bot.api.mark()
    bot.api.send_command(USER, "check", "左家庄2019")  # a short name, the year written onto it
    text = (await bot.api.wait_message(USER, since=since))["text"]
    assert "2 条不成立" in text and "（七）总计 3 ≠ 各项办理结果之和 2" in text

    since = bot.api.mark()
    bot.api.send_command(USER, "check", "左家庄街道")  # a body alone: its findings over the years
    text = (await bot.api.wait_message(USER, since=since))["text"]
    assert "共 2 条" in text and "左家庄街道 2019 表三（自然人列）：（七）总计 3 ≠ 各项办理结果之和 2" in text

    since = bot.api.mark()
    bot.api.send_command(USER, "check", "西柳街道")
    text = (await bot.api.wait_message(USER, since=since))["text"]
    assert text.startswith("没有找到“西柳街道”的年度报告。")


# --- uploads ---------------------------------------------------------------------------------------------------

async def test_non_admin_upload_is_refused_and_changes_nothing(bot):
    folder, store = folder_state(bot.reports), dump_database(bot.config.paths.database)
    reply = await upload(bot, USER, XINGGUANG_FILE, xingguang_report(), final="")
    assert reply["text"] == T.NOT_ADMIN
    await asyncio.sleep(0.3)  # anything further the bot might do would show up now
    assert not bot.api.calls_of("getFile")
    assert folder_state(bot.reports) == folder
    assert dump_database(bot.config.paths.database) == store
    assert received((await bot.ask(USER, "星光街道2020年收到多少申请"))["text"]) is None


async def add_xingguang(bot) -> dict:
    """Upload the 星光 report as the admin and return the final summary message."""
    since = bot.api.mark()
    summary = await upload(bot, ADMIN, XINGGUANG_FILE, xingguang_report(), final="✓")
    status = bot.api.messages(ADMIN, since)[0]
    assert status["text"] == T.UPLOAD_RECEIVED.format(name=XINGGUANG_FILE)
    status_id = bot.api.calls_of("sendMessage", chat_id=ADMIN, since=since)[0].result["message_id"]

    # No dense index in these tests (no embedding model), so the only progress edit is the parsing stage; the
    # indexing stage is announced only when there is a vector index to update.
    edits = [c.params["text"] for c in bot.api.calls_of("editMessageText", chat_id=ADMIN, since=since)
             if c.params["message_id"] == status_id]
    assert edits == [T.UPLOAD_PARSING.format(name=XINGGUANG_FILE)]
    return summary


async def test_admin_upload_adds_a_report_that_is_answered_at_once(bot):
    summary = (await add_xingguang(bot))["text"]
    year, cells, passages = report_counts(bot.config.paths.database, "星光街道")
    assert year == 2020 and cells > 100 and passages > 10
    assert summary.startswith(f"✓ {XINGGUANG_FILE} 已加入：星光街道 2020年")
    assert f"{cells} 个单元格" in summary and f"{passages} 段文本" in summary and "0 条勾稽问题" in summary

    answer = await bot.ask(USER, "星光街道2020年收到多少申请")
    assert received(answer["text"]) == 25 and XINGGUANG_FILE in answer["text"]
    assert received((await bot.ask(USER, QUESTION))["text"]) == 18
    assert (bot.reports / XINGGUANG_FILE).read_bytes() == xingguang_report()
    assert not bot.api.refused()


@pytest.mark.parametrize("name, data, reason", [
    ("x.pdf", bytes(range(256)) * 8, "PDF"),
    ("x.txt", b"", "空"),
])
async def test_broken_upload_gets_one_clear_error_and_the_old_answers_stay(bot, name, data, reason):
    await add_xingguang(bot)
    folder, store = folder_state(bot.reports), dump_database(bot.config.paths.database)

    since = bot.api.mark()
    error = await upload(bot, ADMIN, name, data, final="✗", mime="application/octet-stream")
    await asyncio.sleep(0.3)
    errors = [m["text"] for m in bot.api.messages(ADMIN, since) if "✗" in m["text"]]
    assert errors == [error["text"]]
    assert name in error["text"] and reason in error["text"] and "已有的报告和回答不受影响" in error["text"]
    assert "Traceback" not in error["text"]

    assert folder_state(bot.reports) == folder
    assert dump_database(bot.config.paths.database) == store
    assert received((await bot.ask(USER, QUESTION))["text"]) == 18
    assert received((await bot.ask(USER, "星光街道2020年收到多少申请"))["text"]) == 25


async def test_upload_of_an_unsupported_type_or_an_unchanged_file(bot):
    reply = await upload(bot, ADMIN, "setup.exe", b"MZ\x90\x00", final="不支持")
    assert reply["text"] == T.UNSUPPORTED.format(name="setup.exe")
    sample = next(p for p in SAMPLES if p.name == QIAOTOUHU_FILE)
    reply = await upload(bot, ADMIN, sample.name, sample.read_bytes(), final="没有变化")
    assert reply["text"] == T.UPLOAD_UNCHANGED.format(name=sample.name)


async def test_upload_over_the_download_limit_says_the_file_is_too_big(bot):
    since = bot.api.mark()
    bot.api.send_document(ADMIN, "big.pdf", b"%PDF-1.4", "application/pdf", declared_size=25 * 1024 * 1024)

    def outcome():
        return next((m for m in bot.api.messages(ADMIN, since) if "文件太大" in m["text"] or m["text"] == T.SORRY), None)

    reply = await bot.api.wait_for(outcome, what="the bot's answer to a 25 MB upload")
    assert reply["text"] == T.TOO_BIG.format(size=25, limit=20)


# --- /reindex --------------------------------------------------------------------------------------------------

async def test_reindex_by_the_admin_rebuilds_from_the_folder_and_keeps_answering(bot):
    await add_xingguang(bot)
    since = bot.api.mark()
    bot.api.send_command(ADMIN, "reindex")
    done = await bot.api.wait_message(ADMIN, contains="重建完成", since=since, timeout=30)
    first = bot.api.messages(ADMIN, since)[0]
    assert first["text"] == T.REINDEX_START.format(n=6)
    assert done["text"].startswith("✓ 重建完成：6 份报告") and "失败 0 个文件" in done["text"]
    assert re.search(r"\d+ 个单元格、\d+ 段文本", done["text"])
    status_id = bot.api.calls_of("sendMessage", chat_id=ADMIN, since=since)[0].result["message_id"]

    def progress():
        texts = {c.params["text"] for c in bot.api.calls_of("editMessageText", chat_id=ADMIN, since=since)
                 if c.params["message_id"] == status_id}
        return texts if len(texts) == 5 else None

    assert await bot.api.wait_for(progress, what="five progress edits") == \
        {T.REINDEX_PROGRESS.format(done=i, total=6) for i in range(1, 6)}

    assert received((await bot.ask(USER, QUESTION))["text"]) == 18
    assert received((await bot.ask(USER, "星光街道2020年收到多少申请"))["text"]) == 25
    assert not list(bot.config.paths.database.parent.glob(".rebuild-*"))


async def test_reindex_by_a_non_admin_is_refused(bot):
    since = bot.api.mark()
    bot.api.send_command(USER, "reindex")
    reply = await bot.api.wait_message(USER, since=since)
    assert reply["text"] == T.NOT_ADMIN
    await asyncio.sleep(0.2)
    assert [m["text"] for m in bot.api.messages(since=since)] == [T.NOT_ADMIN]


# --- many users, long replies, non-text, rate limit, errors ----------------------------------------------------

async def test_twenty_users_at_once_each_get_their_own_answer(bot):
    questions = [("桥头胡2020年收到多少申请", "桥头胡街道", 18), ("左家庄街道2019年收到多少申请", "左家庄街道", 3),
                 ("柴桥街道2019年收到多少申请", "柴桥街道", 2), ("王家街道2019年收到多少申请", "王家街道", 0)]
    users = {1000 + i: questions[i % len(questions)] for i in range(20)}
    since = bot.api.mark()
    for user_id, (question, _, _) in users.items():
        bot.api.send_text(user_id, question)

    def all_answered():
        return all(bot.api.messages(user_id, since) for user_id in users)

    await bot.api.wait_for(all_answered, timeout=30, what="twenty answers")
    await asyncio.sleep(0.2)
    for user_id, (_, body, number) in users.items():
        (answer,) = bot.api.messages(user_id, since)
        assert answer["text"].startswith(body) and received(answer["text"]) == number, (user_id, answer["text"])
        assert [c.params["action"] for c in bot.api.calls_of("sendChatAction", chat_id=user_id, since=since)] == \
            ["typing"]
    assert len(bot.api.messages(since=since)) == 20
    assert not bot.api.refused(since)


async def test_a_reply_longer_than_telegram_allows_is_split(bot, monkeypatch):
    citation = Citation("桥头胡街道", 2020, "桥头胡街道2020年度政府信息公开年度报告", QIAOTOUHU_FILE, "表三", "总计 18")
    long = Answer("长", "narrative", "\n".join(f"第{i}行：" + "政府信息公开 & <依申请> " * 12 for i in range(120)),
                  citations=(citation,))
    monkeypatch.setattr(bot.service, "answer_in", answering(lambda question: long))
    since = bot.api.mark()
    bot.api.send_text(USER, "长")
    await bot.api.wait_for(lambda: any(m.get("reply_markup") for m in bot.api.messages(USER, since)),
                           what="the last part, with the button")
    parts = bot.api.messages(USER, since)
    assert len(render_html(long)) > 2 * MAX_MESSAGE and len(parts) >= 3
    assert all(len(p["text"]) <= MAX_MESSAGE and p["parse_mode"] == "HTML" for p in parts)
    assert "\n".join(p["text"] for p in parts) == render_html(long)
    assert [bool(p.get("reply_markup")) for p in parts] == [False] * (len(parts) - 1) + [True]
    assert not bot.api.refused(since)


async def test_a_long_single_line_reply_with_an_ampersand_is_delivered(bot, monkeypatch):
    long = Answer("长", "narrative", "政&" * 3000)  # rendered: one line of 18000 characters
    monkeypatch.setattr(bot.service, "answer_in", answering(lambda question: long))
    since = bot.api.mark()
    bot.api.send_text(USER, "长")
    expected = render_html(long)

    def delivered() -> str:
        return "".join(p["text"] for p in bot.api.messages(USER, since))

    # the parts arrive one by one: wait for all of them (or a refusal), however slow the machine
    await bot.api.wait_for(lambda: bot.api.refused(since) or len(delivered()) >= len(expected), what="every part")
    assert not bot.api.refused(since), [c.error for c in bot.api.refused(since)]
    assert delivered() == expected


@pytest.mark.parametrize("send", ["send_photo", "send_sticker"])
async def test_a_photo_or_sticker_gets_the_text_only_hint(bot, send):
    since = bot.api.mark()
    getattr(bot.api, send)(USER)
    reply = await bot.api.wait_message(USER, since=since)
    assert reply["text"] == T.NON_TEXT


async def test_the_third_question_within_a_minute_is_rate_limited(workspace, fake_api, token_free_logs):
    config = load_config(write_config(workspace, rate_limit_per_minute=2))
    bot = await start_bot(config, fake_api, workspace)
    try:
        for _ in range(2):
            assert received((await bot.ask(USER, QUESTION))["text"]) == 18
        since = bot.api.mark()
        limited = await bot.ask(USER, QUESTION)
        assert limited["text"].startswith("提问太频繁了，请 ") and limited["text"].endswith(" 秒后再试。")
        assert 1 <= int(re.search(r"(\d+) 秒", limited["text"])[1]) <= 61
        assert not bot.api.calls_of("sendChatAction", chat_id=USER, since=since)
        assert received((await bot.ask(ADMIN, QUESTION))["text"]) == 18  # per user: others still ask
    finally:
        await stop_bot(bot)


async def test_a_failing_answer_gets_the_apology_and_the_traceback_is_logged(bot, monkeypatch, caplog):
    def boom(question, mode=None):
        raise RuntimeError("索引坏了 boom")

    monkeypatch.setattr(bot.service, "answer_in", answering(boom))
    reply = await bot.ask(USER, QUESTION)
    assert reply["text"] == T.SORRY
    await bot.api.wait_for(lambda: [r for r in caplog.records if r.levelno == logging.ERROR], what="the error log")
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    # the traceback is kept as text, formatted (and redacted) when the record is made
    assert record.name == "bot.handlers" and "RuntimeError: 索引坏了 boom" in record.exc_text
    assert "索引坏了 boom" in caplog.text and "Traceback" in caplog.text and "in boom" in caplog.text

    monkeypatch.undo()
    assert received((await bot.ask(USER, QUESTION))["text"]) == 18


# --- the token never reaches the logs --------------------------------------------------------------------------

async def exercise(bot, monkeypatch):
    """A bit of everything that logs: start, a question, an upload, a button, a failing answer."""
    bot.api.send_command(USER, "start")
    await bot.api.wait_message(USER)
    await bot.ask(USER, QUESTION)
    await upload(bot, ADMIN, "x.pdf", b"junk", final="✗")
    since = bot.api.mark()
    bot.api.press_button(USER, text="查看原文出处")
    await bot.api.wait_message(USER, since=since)
    monkeypatch.setattr(bot.service, "answer_in", answering(lambda question: 1 / 0))
    await bot.ask(USER, QUESTION, contains=T.SORRY)


async def test_no_log_record_at_the_configured_level_contains_the_token(bot, monkeypatch, caplog):
    await exercise(bot, monkeypatch)
    records = caplog.get_records("setup") + caplog.records
    assert any(r.levelno == logging.ERROR for r in records) and any(r.levelno == logging.INFO for r in records)
    leaked = token_records(records, logging.INFO)
    assert not leaked, [(r.name, r.levelname, r.getMessage()) for r in leaked]


async def test_network_failures_log_no_token(bot, caplog):
    bot.api.stop()  # the server goes away while the bot polls: the updater logs the connection errors

    def polling_errors():
        return [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith("telegram.ext")]

    await bot.api.wait_for(polling_errors, timeout=10, what="a logged polling error")
    assert not token_records(caplog.get_records("setup") + caplog.records, logging.INFO)


async def test_no_log_record_even_at_debug_contains_the_token(bot, monkeypatch, caplog):
    await exercise(bot, monkeypatch)
    records = caplog.get_records("setup") + caplog.records
    assert any(r.levelno == logging.DEBUG and r.name.startswith("telegram") for r in records)
    leaked = token_records(records)
    assert not leaked, [(r.name, r.levelname, r.getMessage()) for r in leaked]
