"""Small pieces of the bot on their own: the rate limiter, API URL normalisation, upload names, HTML rendering,
and message splitting."""
from __future__ import annotations

import html
import random
import re

import pytest

from bot.admin import safe_name
from bot.app import api_urls, build_application
from bot.handlers import MAX_MESSAGE, split_message
from bot.ratelimit import RateLimiter
from bot.render import citation_line, render_html
from index.model import Answer, Citation

from .conftest import TOKEN
from .fake_telegram import html_text_length


# --- RateLimiter -------------------------------------------------------------------------------------------------

class Clock:
    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_rate_limiter_allows_n_per_sliding_minute_per_user():
    clock = Clock()
    limiter = RateLimiter(2, clock=clock)
    assert limiter.wait_seconds(1) == 0
    clock.now += 30
    assert limiter.wait_seconds(1) == 0
    clock.now += 15
    wait = limiter.wait_seconds(1)  # the first ask (45 s ago) leaves the window in 15 s
    assert 15 <= wait <= 16
    assert limiter.wait_seconds(2) == 0  # another user is not affected
    clock.now += wait
    assert limiter.wait_seconds(1) == 0  # the advertised wait was enough
    assert limiter.wait_seconds(1) > 0  # the ask at +30 s is still in the window


def test_rate_limiter_does_not_count_refused_asks():
    clock = Clock()
    limiter = RateLimiter(1, clock=clock)
    assert limiter.wait_seconds(7) == 0
    for _ in range(5):
        clock.now += 10
        assert limiter.wait_seconds(7) > 0
    clock.now = 1000.0 + 60
    assert limiter.wait_seconds(7) == 0


def test_a_refused_flood_is_told_once_per_window_and_quiet_users_are_forgotten():
    clock = Clock()
    limiter = RateLimiter(1, clock=clock)
    assert limiter.wait_seconds(7) == 0
    told = []
    for _ in range(20):  # a flood within the minute
        clock.now += 1
        assert limiter.wait_seconds(7) > 0
        told.append(limiter.should_tell(7))
    assert told == [True] + [False] * 19
    clock.now = 1000.0 + 60
    assert limiter.wait_seconds(7) == 0  # a new window: asks again, and a refusal is told again
    assert limiter.wait_seconds(7) > 0 and limiter.should_tell(7)
    for user in range(1000, 1100):
        limiter.wait_seconds(user)
    clock.now += 200  # a minute and more with nobody asking
    limiter.wait_seconds(1)
    assert set(limiter.seen) == {1} and set(limiter.told) <= {1}


def test_rate_limiter_off_when_zero():
    limiter = RateLimiter(0, clock=Clock())
    assert all(limiter.wait_seconds(1) == 0 for _ in range(100))


# --- api_urls ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("base, files, expected", [
    ("", "", (None, None)),
    ("http://127.0.0.1:8081", "http://127.0.0.1:8081", ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot")),
    ("http://127.0.0.1:8081/", "http://127.0.0.1:8081/", ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot")),
    ("http://h/bot", "http://h/file/bot", ("http://h/bot", "http://h/file/bot")),
    ("http://h/bot/", "http://h/file/bot/", ("http://h/bot", "http://h/file/bot")),
    ("http://h", "http://h/file", ("http://h/bot", "http://h/file/bot")),
    # a self-hosted server serves files too: the file URL follows the base URL when it is not set
    ("  https://tg.example.org/api \n", "", ("https://tg.example.org/api/bot", "https://tg.example.org/api/file/bot")),
])
def test_api_urls_are_normalised_to_what_python_telegram_bot_wants(base, files, expected):
    assert api_urls({"TELEGRAM_API_BASE_URL": base, "TELEGRAM_API_FILE_URL": files}) == expected


def test_api_urls_unset():
    assert api_urls({}) == (None, None)


def test_the_application_uses_the_normalised_urls(config):
    app = build_application(config, TOKEN, environ={"TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/",
                                                    "TELEGRAM_API_FILE_URL": "http://127.0.0.1:9"})
    assert app.bot.base_url == f"http://127.0.0.1:9/bot{TOKEN}"
    assert app.bot.base_file_url == f"http://127.0.0.1:9/file/bot{TOKEN}"


# --- safe_name ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("hostile, expected", [
    ("../../etc/passwd", "passwd"),
    ("a\\b.txt", "b.txt"),
    ("", "report.txt"),
    ("..", "report.txt"),
    (".", "report.txt"),
    ("/etc/passwd", "passwd"),
    ("..\\..\\Windows\\system32\\报告.docx", "报告.docx"),
    ("a\x00b\n.txt", "a_b_.txt"),
    ('con:x?"<>|*.pdf', "con_x______.pdf"),
    (" .hidden.txt. ", "hidden.txt"),
    ("桥头胡街道2020年报.txt", "桥头胡街道2020年报.txt"),
])
def test_safe_name_keeps_uploads_inside_the_reports_folder(hostile, expected, tmp_path):
    name = safe_name(hostile)
    assert name == expected
    assert "/" not in name and "\\" not in name and name not in (".", "..")
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()


# --- render_html -------------------------------------------------------------------------------------------------

def test_render_html_escapes_answers_warnings_and_citations():
    citation = Citation(org="<机关>&", year=2020, title="A&B<script>alert(1)</script>", file="x<1>.txt",
                        section="表三 & <表四>", text="总计 <18> & 更多")
    answer = Answer("q", "numeric", "收到 <b>18</b> 件 & 更多 > 0", warnings=("<i>注意</i> & 小心",),
                    citations=(citation,))
    rendered = render_html(answer)
    assert "<script>" not in rendered and "<b>18</b>" not in rendered and "<机关>" not in rendered
    assert "收到 &lt;b&gt;18&lt;/b&gt; 件 &amp; 更多 &gt; 0" in rendered
    assert "&lt;i&gt;注意&lt;/i&gt; &amp; 小心" in rendered
    assert html.escape(citation_line(citation)) in rendered
    assert set(re.findall(r"</?(\w+)", rendered)) == {"b", "i"}  # only the renderer's own tags
    html_text_length(rendered)  # Telegram would accept it


# --- split_message -----------------------------------------------------------------------------------------------

def test_split_message_short_text_is_one_part():
    assert split_message("桥头胡街道2020年：18 件。\n出处") == ["桥头胡街道2020年：18 件。\n出处"]


def test_split_message_cuts_at_line_ends():
    text = "\n".join(f"第{i}行：" + "政府信息公开" * 30 for i in range(300))
    parts = split_message(text)
    assert len(parts) > 1 and all(0 < len(p) <= MAX_MESSAGE for p in parts)
    assert "\n".join(parts) == text


def test_split_message_cuts_a_line_longer_than_the_limit():
    text = "短行\n" + "长" * (2 * MAX_MESSAGE + 5) + "\n尾"
    parts = split_message(text)
    assert all(0 < len(p) <= MAX_MESSAGE for p in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")


@pytest.mark.parametrize("seed", range(20))
def test_split_message_keeps_every_character_in_order(seed):
    rng = random.Random(seed)
    limit = rng.choice([8, 20, 50])
    text = "\n".join("".join(rng.choice("年报申请") for _ in range(rng.choice([0, 1, 5, limit, limit + 1, 3 * limit])))
                     for _ in range(rng.randint(1, 40)))
    parts = split_message(text, limit)
    assert all(len(p) <= limit for p in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")
    if all(len(line) <= limit for line in text.split("\n")) and text.strip("\n"):
        assert all(p for p in parts)


def test_split_message_never_cuts_an_html_entity():
    text = html.escape("政&" * 3000)  # one line of 18000 characters: '政&amp;' repeated
    for part in split_message(text):
        html_text_length(part)
