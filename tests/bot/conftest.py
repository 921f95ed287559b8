"""Fixtures for the bot tests: a store built once from the five samples and copied into each test's folder, a
config pointing at that copy, the fake Bot API server, and the real Application polling it.

Every test that runs the bot also checks, on the way out, that no log record carries the bot token: logging is
configured as ``python -m bot`` configures it and captured at DEBUG from every logger.
"""
from __future__ import annotations

import logging
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio

from bot.app import build_application
from bot.run import configure_logging
from ingest.cli import main as ingest_main
from ingest.config import Config, load_config
from tests.conftest import SAMPLES

from .fake_telegram import FakeTelegram

TOKEN = "123456:TEST-TOKEN-abcdef"
ADMIN = 111
USER = 222
QIAOTOUHU_FILE = "002_c98c7a4ac036b6ca.txt"  # 桥头胡街道 2020: 18 applications received


def write_config(folder: Path, *, admin_ids=(ADMIN,), rate_limit_per_minute: int = 1000) -> Path:
    path = folder / "config.toml"
    path.write_text(f'[paths]\nreports = "{(folder / "reports").as_posix()}"\ndatabase = "db.sqlite"\nindex = "idx"\n'
                    f"[bot]\nadmin_ids = [{', '.join(str(i) for i in admin_ids)}]\n"
                    f"rate_limit_per_minute = {rate_limit_per_minute}\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def built_store(tmp_path_factory) -> Path:
    """A folder with reports/ (the five samples) and db.sqlite, ingested once per session (no vector index)."""
    folder = tmp_path_factory.mktemp("store")
    (folder / "reports").mkdir()
    for sample in SAMPLES:
        shutil.copy(sample, folder / "reports" / sample.name)
    config = write_config(folder)
    assert ingest_main(["--config", str(config), "--no-index", "--quiet"]) == 0
    return folder


@pytest.fixture
def workspace(built_store: Path, tmp_path: Path, monkeypatch) -> Path:
    """This test's own copy of the store and reports (tests that upload or rebuild change them)."""
    monkeypatch.delenv("NIANBAO_ADMIN_IDS", raising=False)
    monkeypatch.delenv("NIANBAO_CONFIG", raising=False)
    folder = tmp_path / "ws"
    shutil.copytree(built_store, folder)
    write_config(folder)
    return folder


@pytest.fixture
def config(workspace: Path) -> Config:
    return load_config(workspace / "config.toml")


@pytest.fixture
def fake_api():
    server = FakeTelegram(TOKEN).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def token_free_logs(caplog):
    """Log as ``python -m bot`` does, capture every record at DEBUG, and fail if any mentions the token."""
    quiet = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    configure_logging()
    caplog.set_level(logging.DEBUG)
    yield caplog
    for name, level in quiet.items():
        logging.getLogger(name).setLevel(level)
    records = caplog.get_records("setup") + caplog.get_records("call") + caplog.records  # the last: teardown
    leaked = token_records(records, logging.INFO)
    assert not leaked, f"log records contain the bot token: {[(r.name, r.getMessage()) for r in leaked]}"


def token_records(records, level: int = logging.NOTSET) -> list[logging.LogRecord]:
    """The records at ``level`` or above whose message or traceback contains the token."""
    def traceback_of(record: logging.LogRecord) -> str:
        if record.exc_text:
            return record.exc_text
        return logging.Formatter().formatException(record.exc_info) if record.exc_info else ""

    return [r for r in records if r.levelno >= level and (TOKEN in r.getMessage() or TOKEN in traceback_of(r))]


@dataclass
class RunningBot:
    app: object
    api: FakeTelegram
    config: Config
    folder: Path

    @property
    def reports(self) -> Path:
        return self.config.paths.reports

    @property
    def service(self):
        return self.app.bot_data["service"]

    async def ask(self, user_id: int, text: str, *, contains: str | None = None, timeout: float = 10.0) -> dict:
        """Send a question and return the bot's first reply to that chat (containing ``contains`` if given)."""
        since = self.api.mark()
        self.api.send_text(user_id, text)
        return await self.api.wait_message(user_id, contains=contains, since=since, timeout=timeout)


async def start_bot(config: Config, api: FakeTelegram, folder: Path) -> RunningBot:
    """Start the Application in the order ``Application.run_polling`` does, hooks included: ``post_init`` (which
    builds the service and sets the commands) is run by ``run_polling`` only, not by ``initialize()``."""
    app = build_application(config, TOKEN, environ={"TELEGRAM_API_BASE_URL": api.url,
                                                    "TELEGRAM_API_FILE_URL": api.url})
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    await app.start()
    return RunningBot(app, api, config, folder)


async def stop_bot(running: RunningBot) -> None:
    """Stop as ``run_polling`` does on its way out, ``post_stop`` and ``post_shutdown`` included."""
    app = running.app
    if app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    if app.post_stop:
        await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown:
        await app.post_shutdown(app)


@pytest_asyncio.fixture
async def bot(config: Config, fake_api: FakeTelegram, workspace: Path, token_free_logs):
    """The real Application, started against the fake server, with the five samples (admin 111)."""
    running = await start_bot(config, fake_api, workspace)
    try:
        yield running
    finally:
        await stop_bot(running)


def dump_database(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, order-independent: to prove that nothing changed."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}
    finally:
        conn.close()


def folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
