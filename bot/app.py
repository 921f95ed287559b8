"""All Telegram wiring in one place: the Application, its handlers, commands, and the service's life cycle."""
from __future__ import annotations

import asyncio
import logging
import os

from telegram import BotCommand, Update
from telegram.ext import (Application, ApplicationBuilder, CallbackQueryHandler, CommandHandler, MessageHandler,
                          filters)

from index.service import Answerer
from ingest.readers import MAX_BYTES
from ingest.config import Config

from . import handlers
from .logsafe import redact_in_logs
from .ratelimit import RateLimiter
from .texts import COMMANDS

__all__ = ["build_application", "api_urls"]

log = logging.getLogger(__name__)


def api_urls(environ=os.environ) -> tuple[str | None, str | None]:
    """TELEGRAM_API_BASE_URL / TELEGRAM_API_FILE_URL as python-telegram-bot wants them (…/bot, …/file/bot)."""
    base = environ.get("TELEGRAM_API_BASE_URL", "").strip().rstrip("/") or None
    files = environ.get("TELEGRAM_API_FILE_URL", "").strip().rstrip("/") or None
    if base and not base.endswith("/bot"):
        base += "/bot"
    if base and not files:  # a self-hosted server serves files too
        files = base[: -len("/bot")]
    if files and not files.endswith("/bot"):
        files += "/file/bot" if not files.endswith("/file") else "/bot"
    return base, files


def build_application(config: Config, token: str, environ=os.environ) -> Application:
    redact_in_logs(token)
    base, files = api_urls(environ)
    builder = ApplicationBuilder().token(token).concurrent_updates(32)
    if base:
        builder = builder.base_url(base)
    if files:
        builder = builder.base_file_url(files)
    application = builder.post_init(_post_init).post_shutdown(_post_shutdown).build()
    application.bot_data["config"] = config
    application.bot_data["limiter"] = RateLimiter(config.bot.rate_limit_per_minute)
    # Telegram's cloud Bot API serves files up to 20 MB; a self-hosted server lifts that (the readers cap at 30 MB).
    application.bot_data["download_limit_mb"] = 20 if not base else MAX_BYTES // 1024 // 1024
    application.add_handler(CommandHandler("start", handlers.start))
    application.add_handler(CommandHandler("help", handlers.help_command))
    application.add_handler(CommandHandler("reports", handlers.reports))
    application.add_handler(CommandHandler("check", handlers.check))
    application.add_handler(CommandHandler("export", handlers.export))
    application.add_handler(CommandHandler("new", handlers.new_topic))
    application.add_handler(CommandHandler("reindex", handlers.reindex))
    application.add_handler(CallbackQueryHandler(handlers.source_button, pattern=r"^src:"))
    application.add_handler(CallbackQueryHandler(handlers.example_button, pattern=r"^ask:"))
    application.add_handler(CallbackQueryHandler(handlers.retry_button, pattern=r"^re:"))
    application.add_handler(MessageHandler(filters.Document.ALL, handlers.document))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, handlers.question))
    application.add_handler(MessageHandler(~filters.TEXT & ~filters.COMMAND & ~filters.Document.ALL, handlers.non_text))
    application.add_error_handler(handlers.on_error)
    return application


async def _post_init(application: Application) -> None:
    config: Config = application.bot_data["config"]
    service = await asyncio.to_thread(Answerer, config)
    for notice in service.notices:
        log.warning(notice)
    application.bot_data["service"] = service
    application.bot_data["admin_lock"] = asyncio.Lock()
    await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])


async def _post_shutdown(application: Application) -> None:
    service = application.bot_data.get("service")
    if service is not None:
        service.close()


def run_polling(application: Application) -> None:
    application.run_polling(allowed_updates=Update.ALL_TYPES)
