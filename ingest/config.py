"""``config.toml``, read once at an entry point into a frozen, typed object that rejects unknown keys.

The file is chosen by ``--config FILE``, else the ``NIANBAO_CONFIG`` environment variable, else ``config.toml`` in
the current folder, else the project's own. Relative paths resolve against the folder of the config file, so a
copy of config.toml in another folder works on that folder's data. Secrets (the bot token) never live here.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import ConfigError

__all__ = ["Config", "Paths", "IndexSettings", "BotSettings", "load_config", "PROJECT_ROOT"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    reports: Path = Path("data/reports")
    database: Path = Path("data/nianbao.sqlite")
    index: Path = Path("data/index")


@dataclass(frozen=True)
class IndexSettings:
    model: str = "data/models/multilingual-e5-small"  # built by `python -m index model`; or a hub name, a folder
    query_instruction: str = ""  # before questions, for models that declare no query prompt (bge: 为这个句子生成表示以用于检索相关文章：)
    batch_size: int = 32
    passages_per_answer: int = 3


@dataclass(frozen=True)
class BotSettings:
    admin_ids: tuple[int, ...] = ()
    rate_limit_per_minute: int = 20


@dataclass(frozen=True)
class Config:
    source: Path  # the file read, for messages
    paths: Paths = field(default_factory=Paths)
    index: IndexSettings = field(default_factory=IndexSettings)
    bot: BotSettings = field(default_factory=BotSettings)


def _section(cls, raw: dict, name: str, source: Path):
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise ConfigError(f"{source}：[{name}] 里有未知的设置 {', '.join(unknown)}；可用的有 {', '.join(known)}。")
    values = {}
    for key, value in raw.items():
        default = getattr(cls(), key)
        if isinstance(default, Path):
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{source}：[{name}] {key} 应为路径字符串，例如 \"data/reports\"，现在是 {value!r}。")
            value = Path(value)
        elif isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
                raise ConfigError(f"{source}：[{name}] {key} 应为数字 id 的列表，例如 [123456789]，现在是 {value!r}。")
            value = tuple(value)
        elif not isinstance(value, type(default)) or isinstance(value, bool) != isinstance(default, bool):
            raise ConfigError(f"{source}：[{name}] {key} 应为 {type(default).__name__}，现在是 {value!r}。")
        values[key] = value
    return cls(**values)


def _locate(explicit: str | os.PathLike | None) -> Path:
    if explicit:
        return Path(explicit)
    if env := os.environ.get("NIANBAO_CONFIG"):
        return Path(env)
    local = Path.cwd() / "config.toml"
    return local if local.exists() else PROJECT_ROOT / "config.toml"


def load_config(path: str | os.PathLike | None = None) -> Config:
    """Read the config file (see the module docstring for which); raise ConfigError with a clear message."""
    source = _locate(path).resolve()
    try:
        raw = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ConfigError(f"找不到配置文件 {source}；用 --config 指定，或设置 NIANBAO_CONFIG。") from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"{source}：不是有效的 TOML（{e}）。") from e
    sections = {"paths": Paths, "index": IndexSettings, "bot": BotSettings}
    unknown = sorted(set(raw) - set(sections))
    if unknown:
        raise ConfigError(f"{source}：未知的配置节 [{'], ['.join(unknown)}]；可用的有 [paths] [index] [bot]。")
    paths = _section(Paths, raw.get("paths", {}), "paths", source)
    base = source.parent
    paths = Paths(**{f.name: (base / getattr(paths, f.name)).resolve() for f in fields(Paths)})
    bot = _section(BotSettings, raw.get("bot", {}), "bot", source)
    if env_admins := os.environ.get("NIANBAO_ADMIN_IDS"):
        try:
            bot = BotSettings(tuple(int(x) for x in env_admins.replace(" ", "").split(",") if x), bot.rate_limit_per_minute)
        except ValueError as e:
            raise ConfigError(f"NIANBAO_ADMIN_IDS 应为逗号分隔的数字 id，现在是 {env_admins!r}。") from e
    index = _section(IndexSettings, raw.get("index", {}), "index", source)
    if (base / index.model).exists() or index.model == IndexSettings.model:  # a folder, relative to the config file
        index = replace(index, model=str((base / index.model).resolve()))
    return Config(source, paths, index, bot)
