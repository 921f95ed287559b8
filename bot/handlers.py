"""Thin Telegram handlers: read the message, run the work off the event loop, render, reply.

The answering service lives in ``application.bot_data["service"]`` and is replaced (never mutated) when an admin
adds a report or rebuilds, so questions keep being answered while that runs.
"""
from __future__ import annotations

import asyncio
import html
import logging
from collections import OrderedDict
from pathlib import PurePath

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from index.followup import Context
from index.model import Answer
from ingest.readers import SUPPORTED_SUFFIXES

from .admin import add_report, rebuild_all
from .listing import check_args, check_text, export_files, reports_text
from .render import citation_line, render_html
from .texts import EXAMPLES, T

__all__ = ["start", "help_command", "reports", "check", "export", "new_topic", "question", "source_button",
           "example_button", "non_text", "document", "reindex", "on_error", "split_message", "MAX_MESSAGE"]

log = logging.getLogger(__name__)
MAX_MESSAGE = 4096
MAX_CAPTION = 1024  # a photo's caption
MAX_DOWNLOAD_MB = 20
_SOURCES_KEPT = 2000


def _safe_cut(line: str, limit: int) -> int:
    """Where to cut a too-long line: at ``limit``, moved back before an HTML entity or tag it would split."""
    cut = limit
    amp, semi = line.rfind("&", 0, cut), line.rfind(";", 0, cut)
    if amp > semi and cut - amp <= 10:
        cut = amp
    lt, gt = line.rfind("<", 0, cut), line.rfind(">", 0, cut)
    if lt > gt:
        cut = lt
    return cut if cut > 0 else limit


def split_message(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Parts of at most ``limit`` characters, cut at line ends where possible and never inside an HTML entity."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            cut = _safe_cut(line, limit)
            parts.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts or [""]


async def _reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None, parse_html: bool = True):
    parts = split_message(text)
    message = update.effective_message
    for i, part in enumerate(parts):
        await message.reply_text(part, parse_mode=ParseMode.HTML if parse_html else None,
                                 reply_markup=markup if i == len(parts) - 1 else None,
                                 disable_web_page_preview=True)


def _service(context: ContextTypes.DEFAULT_TYPE):
    return context.application.bot_data["service"]


def _is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    user = update.effective_user
    return user is not None and user.id in context.application.bot_data["config"].bot.admin_ids


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    buttons = [[InlineKeyboardButton(q, callback_data=f"ask:{i}")] for i, q in enumerate(EXAMPLES)]
    await update.effective_message.reply_text(T.START, reply_markup=InlineKeyboardMarkup(buttons))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(T.HELP)


async def reports(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    rows = await asyncio.to_thread(reports_text, context.application.bot_data["config"])
    await _reply(update, html.escape(rows), parse_html=True)


async def check(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    body, year = check_args(list(context.args or []))
    text = await asyncio.to_thread(check_text, context.application.bot_data["config"], body, year)
    await _reply(update, html.escape(text))


async def export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/export [机关] [年度]: the cells in scope as a CSV and an XLSX document."""
    body, year = check_args(list(context.args or []))
    config = context.application.bot_data["config"]
    await context.bot.send_chat_action(update.effective_chat.id, ChatAction.UPLOAD_DOCUMENT)
    made = await asyncio.to_thread(export_files, config, body, year)
    if isinstance(made, str):
        await update.effective_message.reply_text(made)
        return
    files, summary = made
    try:
        for path in files:
            with open(path, "rb") as handle:
                await update.effective_message.reply_document(handle, filename=path.name)
        await update.effective_message.reply_text(summary)
    finally:
        for path in files:
            path.unlink(missing_ok=True)
        if files:
            files[0].parent.rmdir()


async def new_topic(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/new: the next question starts afresh."""
    context.user_data.pop("followup", None)
    await update.effective_message.reply_text(T.NEW_TOPIC)


async def _answer_and_reply(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    user = update.effective_user
    limiter = context.application.bot_data["limiter"]
    wait = limiter.wait_seconds(user.id if user else 0)
    if wait:
        if limiter.should_tell(user.id if user else 0):  # a flood gets one reply, not one per message
            await update.effective_message.reply_text(T.RATE_LIMITED.format(seconds=wait))
        return
    await context.bot.send_chat_action(update.effective_chat.id, ChatAction.TYPING)
    # one conversation per user: a follow-up (那2020年呢) takes what it leaves unsaid from the question before
    answer, context.user_data["followup"] = await asyncio.to_thread(
        _service(context).answer_in, text, context.user_data.get("followup") or Context())
    buttons = []
    if answer.citations:
        key = _remember(context, "sources", answer.citations)
        buttons.append([InlineKeyboardButton(T.SOURCE_BUTTON, callback_data=f"src:{key}")])
    for body, again in answer.suggestions[:3]:  # 您是不是要问…: one press asks it about the held body
        key = _remember(context, "retries", again)
        buttons.append([InlineKeyboardButton(T.SUGGEST_BUTTON.format(body=body), callback_data=f"re:{key}")])
    markup = InlineKeyboardMarkup(buttons) if buttons else None
    text = render_html(answer)
    photo = await asyncio.to_thread(_chart_png, answer) if answer.chart else None
    if photo is None:
        await _reply(update, text, markup)
    elif len(text) <= MAX_CAPTION:  # the answer as the chart's caption
        await update.effective_message.reply_photo(photo, caption=text, parse_mode=ParseMode.HTML,
                                                   reply_markup=markup)
    else:  # too long for a caption: the chart under its title, then the answer
        await update.effective_message.reply_photo(photo, caption=html.escape(answer.chart.title),
                                                   parse_mode=ParseMode.HTML)
        await _reply(update, text, markup)


def _chart_png(answer: Answer) -> bytes | None:
    """The answer's chart as PNG, or None when it cannot be drawn (the answer is sent without it)."""
    from .chart import render_chart

    try:
        return render_chart(answer.chart)
    except Exception:  # a chart is a courtesy: the answer goes out without it
        log.warning("图表无法生成：%s", answer.chart.title if answer.chart else "", exc_info=True)
        return None


def _remember(context: ContextTypes.DEFAULT_TYPE, kind: str, value) -> str:
    """Keep what a button stands for (an answer's citations, a question to ask again) under a short key."""
    store: OrderedDict = context.application.bot_data.setdefault(kind, OrderedDict())
    counter = context.application.bot_data.get("source_counter", 0) + 1
    context.application.bot_data["source_counter"] = counter
    store[str(counter)] = value
    while len(store) > _SOURCES_KEPT:
        store.popitem(last=False)
    return str(counter)


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _answer_and_reply(update, context, update.effective_message.text or "")


async def example_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    index = int(query.data.split(":", 1)[1])
    await _answer_and_reply(update, context, EXAMPLES[index] if 0 <= index < len(EXAMPLES) else EXAMPLES[0])


async def _pressed(update: Update, context: ContextTypes.DEFAULT_TYPE, kind: str):
    """What a button of ``kind`` (retries, sources) stands for, or None after saying it has expired."""
    query = update.callback_query
    await query.answer()
    remembered = context.application.bot_data.get(kind, {}).get(query.data.split(":", 1)[1])
    if not remembered:
        await update.effective_message.reply_text(T.SOURCE_GONE)
    return remembered


async def retry_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if again := await _pressed(update, context, "retries"):
        await _answer_and_reply(update, context, again)


async def source_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    citations = await _pressed(update, context, "sources")
    if not citations:
        return
    lines = [f"<b>{html.escape(T.SOURCE_HEAD)}</b>"]
    for c in citations:
        lines.append(f"<b>{html.escape(citation_line(c))}</b>\n{html.escape(c.text)}")
    await _reply(update, "\n\n".join(lines))


async def non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(T.NON_TEXT)


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not _is_admin(update, context):
        await update.effective_message.reply_text(T.NOT_ADMIN)
        return
    doc = update.effective_message.document
    name = doc.file_name or "report"
    if PurePath(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        await update.effective_message.reply_text(T.UNSUPPORTED.format(name=name))
        return
    limit_mb = context.application.bot_data["download_limit_mb"]
    if doc.file_size and doc.file_size > limit_mb * 1024 * 1024:
        await update.effective_message.reply_text(
            T.TOO_BIG.format(size=f"{doc.file_size / 1024 / 1024:.0f}", limit=limit_mb))
        return
    lock: asyncio.Lock = context.application.bot_data["admin_lock"]
    if lock.locked():
        await update.effective_message.reply_text(T.UPLOAD_BUSY)
        return
    async with lock:
        status = await update.effective_message.reply_text(T.UPLOAD_RECEIVED.format(name=name))
        try:
            telegram_file = await doc.get_file()
        except BadRequest as e:
            if "too big" not in str(e).lower():
                raise
            await update.effective_message.reply_text(
                T.TOO_BIG.format(size=f"{(doc.file_size or 0) / 1024 / 1024:.0f}", limit=20))
            return
        data = bytes(await telegram_file.download_as_bytearray())
        await status.edit_text(T.UPLOAD_PARSING.format(name=name))
        loop = asyncio.get_running_loop()

        def on_stage(stage: str) -> None:
            if stage == "indexing":
                _edit_from_thread(status, T.UPLOAD_INDEXING, loop)

        config = context.application.bot_data["config"]
        outcome, new_service = await asyncio.to_thread(add_report, config, data, name, _service(context), on_stage)
        if outcome.status == "failed":
            await update.effective_message.reply_text(T.UPLOAD_FAILED.format(error=outcome.error))
            return
        if outcome.status == "unchanged":
            await update.effective_message.reply_text(T.UPLOAD_UNCHANGED.format(name=name))
            return
        _swap_service(context, new_service)
        r = outcome.report
        text = T.UPLOAD_DONE.format(name=name, body=r.body, year=r.year, format=r.format, cells=len(r.cells),
                                    passages=len(r.passages), findings=len(r.findings))
        if outcome.replaced_source:
            text += T.UPLOAD_REPLACED.format(old=outcome.replaced_source)
        await update.effective_message.reply_text(text)


def _edit_from_thread(message, text: str, loop: asyncio.AbstractEventLoop) -> None:
    """Edit a progress message from a worker thread, in order: wait for the edit; a failed edit is only logged."""
    try:
        asyncio.run_coroutine_threadsafe(message.edit_text(text), loop).result(timeout=30)
    except Exception:  # progress is a courtesy: the work goes on without it
        log.warning("进度消息更新失败", exc_info=True)


def _swap_service(context: ContextTypes.DEFAULT_TYPE, new_service) -> None:
    old = context.application.bot_data.get("service")
    context.application.bot_data["service"] = new_service
    if old is not None:
        old.close()


async def reindex(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not _is_admin(update, context):
        await update.effective_message.reply_text(T.NOT_ADMIN)
        return
    lock: asyncio.Lock = context.application.bot_data["admin_lock"]
    if lock.locked():
        await update.effective_message.reply_text(T.UPLOAD_BUSY)
        return
    config = context.application.bot_data["config"]
    async with lock:
        from ingest.pipeline import collect_files

        total = len(collect_files([config.paths.reports])) if config.paths.reports.exists() else 0
        if not total:
            await update.effective_message.reply_text(T.REINDEX_EMPTY.format(folder=config.paths.reports))
            return
        status = await update.effective_message.reply_text(T.REINDEX_START.format(n=total))
        loop = asyncio.get_running_loop()
        step = max(1, total // 10)

        def on_progress(done: int, total_: int) -> None:
            if done % step == 0 and done < total_:
                _edit_from_thread(status, T.REINDEX_PROGRESS.format(done=done, total=total_), loop)

        result = await asyncio.to_thread(rebuild_all, config, _service(context), on_progress)
        _swap_service(context, result.service)
        failed = [o for o in result.outcomes if o.status == "failed"]
        text = T.REINDEX_DONE.format(reports=result.counts.get("reports", 0), cells=result.counts.get("cells", 0),
                                     passages=result.counts.get("passages", 0), failed=len(failed))
        if failed:
            text += "\n" + T.REINDEX_FAILED_FILES.format(lines="\n".join(o.error or "" for o in failed[:10]))
        await update.effective_message.reply_text(text)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    log.error("处理更新时出错", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(T.SORRY)
        except Exception:  # the apology itself failed (network): the log line above is what remains
            log.warning("无法发送道歉消息", exc_info=True)
