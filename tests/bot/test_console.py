"""The console chat: the same answers over standard input and output, in process and as ``python -m bot``."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys

from bot.console import run_console
from bot.texts import COMMANDS, T
from index.wording import W
from tests.conftest import ROOT

CITATION = "《桥头胡街道2020年度政府信息公开年度报告》（桥头胡街道，2020年，002_c98c7a4ac036b6ca.txt）"


def test_console_answers_questions_and_commands_then_says_goodbye(config):
    stdin = io.StringIO("桥头胡2020年收到多少申请\n/reports\n/check\n/check 柴桥街道 2019\n/help\n\n   \n"
                        "exit\n王家街道2019年收到多少申请\n")
    stdout = io.StringIO()
    assert run_console(config, stdin=stdin, stdout=stdout) == 0
    out = stdout.getvalue()

    assert out.startswith(T.CONSOLE_INTRO)
    assert "桥头胡街道2020年新收政府信息公开申请18件（表三“本年新收”行“总计”列）。" in out
    assert f"出处：\n  · {CITATION}" in out
    assert "已收录 5 份报告" in out and "· 左家庄街道：2019年" in out
    assert "1. 左家庄街道（2019年）：2 条勾稽关系不成立" in out  # /check: the overview
    assert "柴桥街道 2019年年度报告" in out and "勾稽关系：核对 10 条，全部成立。" in out  # one report's sheet
    assert all(f"/{name}" in out for name, _ in COMMANDS)
    assert W.EMPTY not in out  # blank lines are skipped, not answered
    assert "王家街道2019年一、本年新收" not in out  # nothing after exit is read
    assert out.rstrip().endswith(T.CONSOLE_BYE)
    assert T.PROMPT not in out  # no prompt when the input is not a terminal


def test_console_ends_at_end_of_input(config):
    stdout = io.StringIO()
    assert run_console(config, stdin=io.StringIO("桥头胡2020年收到多少申请"), stdout=stdout) == 0
    assert "申请18件" in stdout.getvalue() and stdout.getvalue().rstrip().endswith(T.CONSOLE_BYE)


def test_python_m_bot_without_a_token_is_the_console(workspace):
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "NIANBAO_ADMIN_IDS")}
    env.update(NIANBAO_CONFIG=str(workspace / "config.toml"), HF_HUB_OFFLINE="1", PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-m", "bot"], input="桥头胡2020年收到多少申请\n/reports\nexit\n",
                          capture_output=True, text=True, encoding="utf-8", env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "申请18件" in done.stdout and CITATION in done.stdout
    assert "已收录 5 份报告" in done.stdout and T.CONSOLE_BYE in done.stdout
    assert "Traceback" not in done.stderr


def test_ask_json_from_stdin_gives_one_line_out_for_each_line_in(workspace):
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "NIANBAO_ADMIN_IDS")}
    env.update(NIANBAO_CONFIG=str(workspace / "config.toml"), HF_HUB_OFFLINE="1", PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-m", "bot", "ask", "--json", "-"],
                          input="桥头胡2020年收到多少申请\n\n王家街道2019年收到多少申请\n", capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    import json

    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["value"] for a in answers] == [18, None, 0]  # the blank line is answered, so the third stays third
    assert answers[1]["kind"] == "none"


def test_the_console_goes_on_from_the_question_before_until_new(config):
    """Gold S18/README: 桥头胡街道 2020 received 18; 东柳街道 2020 received 0 (its cell reads 无)."""
    stdin = io.StringIO("桥头胡街道2020年收到多少申请\n东柳街道呢？\n/new\n东柳街道呢？\n")
    stdout = io.StringIO()
    assert run_console(config, stdin=stdin, stdout=stdout) == 0
    replies = stdout.getvalue().split("\n\n")
    follow = next(r for r in replies if r.startswith("（按上一问："))
    assert "2020年" in follow.splitlines()[0] and "东柳街道2020年" in follow and "0件" in follow
    after_new = [r for r in replies if "东柳街道" in r][-1]
    assert T.NEW_TOPIC in stdout.getvalue() and not after_new.startswith("（按上一问")


def test_ask_writes_the_chart_and_the_json_names_it(config, tmp_path, capsys):
    from bot.cli import ask_main

    target = tmp_path / "排名.png"
    assert ask_main(["--config", str(config.source), "--json", "--chart", str(target), "2020年各街道收到申请排名"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["chart_file"] == str(target) and target.read_bytes().startswith(b"\x89PNG")
    assert answer["chart"]["points"] == [["桥头胡街道", 18], ["东柳街道", 0]]

    assert ask_main(["--config", str(config.source), "--json", "--chart", str(tmp_path / "x.png"),
                     "桥头胡2020年收到多少申请"]) == 0
    assert json.loads(capsys.readouterr().out)["chart_file"] is None and not (tmp_path / "x.png").exists()
