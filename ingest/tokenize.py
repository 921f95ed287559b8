"""The one Chinese tokenizer, used when passages are indexed and when questions are asked.

jieba in search mode (so 政府信息公开 also yields 政府, 信息, 公开), with a user dictionary of the template's
terms and the body names held in the store. Punctuation and a few function words are dropped; Latin words are
lower-cased; numbers are kept (a question may ask for "167").
"""
from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

__all__ = ["tokenize", "add_words", "TEMPLATE_TERMS"]

TEMPLATE_TERMS = (
    "政府信息公开", "政务公开", "主动公开", "依申请公开", "予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理",
    "本年新收", "上年结转", "结转下年度", "行政复议", "行政诉讼", "行政许可", "行政处罚", "行政强制", "行政事业性收费",
    "政府集中采购", "规范性文件", "微信公众号", "政务新媒体", "门户网站", "信息公开指南", "保密审查", "改进措施", "存在问题",
    "主要问题", "领导小组", "政府网站", "新媒体", "公众号", "微博", "抖音", "视频号", "政策解读", "年度报告",
)
_STOP = frozenset("的 了 和 与 及 是 在 有 为 对 将 等 也 并 或 就 都 而 把 被 让 中 上 下 个 这 那 其 之 以 于 从 由 向 吗 呢 吧 啊 么 "
                  "什么 哪些 怎么 怎样 如何 多少 几 请问 一下 请".split())
_TOKEN = re.compile(r"[\w\u4e00-\u9fff]")
_lock = threading.Lock()
_tokenizer = None
_pending: set[str] = set()


def _instance():
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            for term in TEMPLATE_TERMS:
                tokenizer.add_word(term, freq=20000)
            _tokenizer = tokenizer
        if _pending:
            for word in _pending:
                _tokenizer.add_word(word, freq=50000)
            _pending.clear()
        return _tokenizer


def add_words(words: Iterable[str]) -> None:
    """Add names (body names and their short forms) to the dictionary so they stay one token."""
    with _lock:
        _pending.update(w for w in words if w and len(w) >= 2)


def tokenize(text: str) -> list[str]:
    """Tokens of ``text`` for the lexical index: search-mode jieba, no punctuation, no function words."""
    if not text or not text.strip():
        return []
    tokenizer = _instance()
    tokens = []
    for token in tokenizer.cut_for_search(text):
        token = token.strip().lower()
        if token and _TOKEN.search(token) and token not in _STOP:
            tokens.append(token)
    return tokens
