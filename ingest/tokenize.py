"""The one Chinese tokenizer, used when passages are indexed and when questions are asked.

jieba in search mode (so 政府信息公开 also yields 政府, 信息, 公开), with a fixed user dictionary of the template's
terms; run by rjieba, jieba's algorithm and dictionary in Rust, where it is installed (see ``_instance``). Punctuation and a few function words are dropped; Latin words are lower-cased; numbers are kept (a question
may ask for "167").

The dictionary is fixed on purpose: a passage indexed today and a question asked next year must be cut the same
way, and a dictionary that grew with every ingested body name would cut them differently. Body names are matched
by the gazetteer and applied as hard filters, so BM25 does not need them as single tokens.
"""
from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache

__all__ = ["tokenize", "TEMPLATE_TERMS"]

TEMPLATE_TERMS = (
    "政府信息公开", "政务公开", "主动公开", "依申请公开", "予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理",
    "本年新收", "上年结转", "结转下年度", "行政复议", "行政诉讼", "行政许可", "行政处罚", "行政强制", "行政事业性收费",
    "政府集中采购", "规范性文件", "微信公众号", "政务新媒体", "门户网站", "信息公开指南", "保密审查", "改进措施", "存在问题",
    "主要问题", "领导小组", "政府网站", "新媒体", "公众号", "微博", "抖音", "视频号", "政策解读", "年度报告",
)
_STOP = frozenset("的 了 和 与 及 是 在 有 为 对 将 等 也 并 或 就 都 而 把 被 让 中 上 下 个 这 那 其 之 以 于 从 由 向 吗 呢 吧 啊 么 "
                  "什么 哪些 怎么 怎样 如何 多少 几 请问 一下 请".split())
_TOKEN = re.compile(r"[\w\u4e00-\u9fff]")
_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+")  # jieba's own block pattern (re_han_default)
_lock = threading.Lock()
_tokenizer = None


def _instance():
    """The segmenter: jieba's dictionary and algorithm, run by rjieba (jieba-rs: five times faster, the same tokens
    on every block of the corpus) where it is installed, else by jieba itself."""
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            try:
                _tokenizer = segmenter("rjieba")
            except ImportError:
                _tokenizer = segmenter("jieba")
        return _tokenizer


def segmenter(backend: str):
    """``cut(block)`` of search-mode segmentation without the HMM pass, with the template's terms, by ``backend``
    (rjieba or jieba)."""
    if backend == "rjieba":
        import rjieba

        rust = rjieba.Jieba()
        for term in TEMPLATE_TERMS:
            rust.add_word(term, 20000, None)
        return lambda block: rust.cut_for_search(block, False)
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for term in TEMPLATE_TERMS:
        tokenizer.add_word(term, freq=20000)
    return lambda block: tokenizer.cut_for_search(block, HMM=False)


def tokenize(text: str) -> list[str]:
    """Tokens of ``text`` for the lexical index: search-mode jieba, no punctuation, no function words.

    jieba runs without its HMM pass for unknown words (it costs most of the time, and guesses words the index and
    the question might guess differently). Text repeats across reports (section titles, table-row labels, clauses), so tokens
    are cached block by block.
    """
    if not text or not text.strip():
        return []
    tokens: list[str] = []
    for block in _BLOCK.findall(text):
        tokens.extend(_block_tokens(block))
    return tokens


@lru_cache(maxsize=131072)
def _block_tokens(block: str) -> tuple[str, ...]:
    """Tokens of one block. jieba cuts text into blocks of these characters before segmenting, so cutting block
    by block gives the same tokens, and blocks (a clause, a label, a number) repeat across reports."""
    cut = _instance()
    tokens = []
    for token in cut(block):
        token = token.strip().lower()
        if token and _TOKEN.search(token) and token not in _STOP:
            tokens.append(token)
    return tuple(tokens)
