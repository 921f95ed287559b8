"""Rendering an Answer as plain text (console, CLI) and as Telegram HTML."""
from __future__ import annotations

import html

from index.model import Answer
from ingest.safeout import printable_name

__all__ = ["render_text", "render_html", "citation_line"]


def citation_line(c) -> str:
    return f"《{c.title}》（{c.org}，{c.year}年，{printable_name(c.file)}）· {c.section}"


def render_text(answer: Answer) -> str:
    lines = [f"（{answer.carried}）"] if answer.carried else []  # a follow-up says what it took first
    lines += [answer.answer]
    lines += [f"⚠ {w}" for w in answer.warnings]
    if answer.citations:
        lines.append("出处：")
        lines += [f"  · {citation_line(c)}" for c in answer.citations]
    return "\n".join(lines)


def render_html(answer: Answer) -> str:
    lines = [f"<i>（{html.escape(answer.carried)}）</i>"] if answer.carried else []
    lines += [html.escape(answer.answer)]
    lines += [f"⚠ <i>{html.escape(w)}</i>" for w in answer.warnings]
    if answer.citations:
        lines.append("<b>出处</b>")
        lines += [f"· {html.escape(citation_line(c))}" for c in answer.citations]
    return "\n".join(lines)
