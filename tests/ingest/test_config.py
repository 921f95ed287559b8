"""config.toml: which file is read, relative paths, unknown keys, types, and the environment overrides."""
from __future__ import annotations

from dataclasses import replace

from pathlib import Path

import pytest

from ingest.config import BotSettings, IndexSettings, load_config
from ingest.errors import ConfigError


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No setting leaks in from the machine running the tests; the current folder holds no config.toml."""
    monkeypatch.delenv("NIANBAO_CONFIG", raising=False)
    monkeypatch.delenv("NIANBAO_ADMIN_IDS", raising=False)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_relative_paths_resolve_against_the_config_files_folder(tmp_path, write_config):
    path = write_config(tmp_path / "project", reports="my reports", database="db/n.sqlite")
    config = load_config(path)
    assert config.source == path.resolve()
    assert config.paths.reports == (tmp_path / "project" / "my reports").resolve()
    assert config.paths.database == (tmp_path / "project" / "db" / "n.sqlite").resolve()
    assert config.paths.index == (tmp_path / "project" / "index").resolve()


def test_relative_config_path_is_taken_from_the_current_folder(tmp_path, write_config, monkeypatch):
    write_config(tmp_path / "project")
    monkeypatch.chdir(tmp_path)
    config = load_config("project/config.toml")
    assert config.paths.reports == (tmp_path / "project" / "reports").resolve()


def test_absolute_paths_stay_as_written(tmp_path):
    target = tmp_path / "elsewhere" / "data"
    config = load_config(_write(tmp_path / "p", f'[paths]\nreports = "{target}"\n'))
    assert config.paths.reports == target.resolve()


def test_missing_sections_take_the_defaults(tmp_path):
    config = load_config(_write(tmp_path / "p", ""))
    # the default model is the e5 folder `python -m index model` builds beside the config file
    assert config.index == replace(IndexSettings(), model=str(tmp_path / "p" / "data/models/multilingual-e5-small"))
    assert config.bot == BotSettings()
    assert config.paths.reports == (tmp_path / "p" / "data" / "reports").resolve()


def test_values_are_read(tmp_path):
    config = load_config(_write(tmp_path / "p", '[index]\nmodel = "/models/bge"\nbatch_size = 8\n'
                                               '[bot]\nadmin_ids = [1, 2]\nrate_limit_per_minute = 5\n'))
    assert (config.index.model, config.index.batch_size) == ("/models/bge", 8)
    assert config.bot == BotSettings((1, 2), 5)


def test_environment_variable_selects_the_file(tmp_path, write_config, monkeypatch):
    chosen = write_config(tmp_path / "chosen", reports="from-env")
    _write(Path.cwd(), '[paths]\nreports = "from-cwd"\n')  # loses to the environment variable
    monkeypatch.setenv("NIANBAO_CONFIG", str(chosen))
    config = load_config()
    assert config.source == chosen.resolve()
    assert config.paths.reports == (tmp_path / "chosen" / "from-env").resolve()


def test_explicit_file_wins_over_the_environment(tmp_path, write_config, monkeypatch):
    monkeypatch.setenv("NIANBAO_CONFIG", str(write_config(tmp_path / "env")))
    explicit = write_config(tmp_path / "explicit")
    assert load_config(explicit).source == explicit.resolve()


def test_config_in_the_current_folder_is_used(tmp_path):
    local = _write(Path.cwd(), '[paths]\nreports = "here"\n')
    assert load_config().source == local.resolve()


def test_unknown_key_is_rejected_naming_it(tmp_path):
    with pytest.raises(ConfigError, match="reprots") as raised:
        load_config(_write(tmp_path / "p", '[paths]\nreprots = "data/reports"\n'))
    assert "[paths]" in str(raised.value) and "reports" in str(raised.value)  # says what is allowed


def test_unknown_section_is_rejected_naming_it(tmp_path):
    with pytest.raises(ConfigError, match=r"\[telegram\]"):
        load_config(_write(tmp_path / "p", '[telegram]\ntoken = "secret"\n'))


@pytest.mark.parametrize("text, key", [
    ('[index]\nbatch_size = "32"\n', "batch_size"),
    ('[index]\nbatch_size = 1.5\n', "batch_size"),
    ('[bot]\nrate_limit_per_minute = true\n', "rate_limit_per_minute"),
    ('[bot]\nadmin_ids = 123\n', "admin_ids"),
    ('[index]\nmodel = 5\n', "model"),
])
def test_wrong_type_is_rejected_naming_the_key(tmp_path, text, key):
    with pytest.raises(ConfigError, match=key):
        load_config(_write(tmp_path / "p", text))


def test_path_that_is_not_a_string_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="reports"):
        load_config(_write(tmp_path / "p", "[paths]\nreports = 5\n"))


def test_admin_ids_must_be_numbers(tmp_path):
    with pytest.raises(ConfigError, match="admin_ids"):
        load_config(_write(tmp_path / "p", '[bot]\nadmin_ids = ["123"]\n'))


def test_invalid_toml_is_a_config_error_naming_the_file(tmp_path):
    path = _write(tmp_path / "p", "[paths\nreports = \n")
    with pytest.raises(ConfigError, match="TOML") as raised:
        load_config(path)
    assert str(path.resolve()) in str(raised.value)


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="找不到配置文件"):
        load_config(tmp_path / "nope.toml")


@pytest.mark.parametrize("value, expected", [
    ("123", (123,)),
    ("1,2,3", (1, 2, 3)),
    (" 11 , 22 ", (11, 22)),
    ("5,", (5,)),
])
def test_admin_ids_from_the_environment(tmp_path, monkeypatch, value, expected):
    monkeypatch.setenv("NIANBAO_ADMIN_IDS", value)
    config = load_config(_write(tmp_path / "p", "[bot]\nadmin_ids = [9]\nrate_limit_per_minute = 7\n"))
    assert config.bot == BotSettings(expected, 7)  # the environment replaces the file's ids, keeps the rest


def test_empty_admin_ids_variable_keeps_the_files(tmp_path, monkeypatch):
    monkeypatch.setenv("NIANBAO_ADMIN_IDS", "")
    assert load_config(_write(tmp_path / "p", "[bot]\nadmin_ids = [9]\n")).bot.admin_ids == (9,)


@pytest.mark.parametrize("value", ["abc", "1;2", "12a"])
def test_bad_admin_ids_variable_is_a_config_error(tmp_path, monkeypatch, value):
    monkeypatch.setenv("NIANBAO_ADMIN_IDS", value)
    with pytest.raises(ConfigError, match="NIANBAO_ADMIN_IDS"):
        load_config(_write(tmp_path / "p", ""))


def test_config_is_frozen(tmp_path):
    config = load_config(_write(tmp_path / "p", ""))
    with pytest.raises(AttributeError):
        config.paths = None  # type: ignore[misc]
