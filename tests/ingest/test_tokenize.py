"""The one Chinese tokenizer (index time and query time): Chinese, mixed and empty text, the user dictionary."""
from __future__ import annotations

import sqlite3

import pytest

from ingest.tokenize import TEMPLATE_TERMS, tokenize


def test_chinese_sentence_is_segmented():
    tokens = tokenize("街道高度重视政府信息公开工作")
    assert "街道" in tokens and "工作" in tokens
    assert "政府信息公开" in tokens
    assert all(len(t) < len("街道高度重视政府信息公开工作") for t in tokens)


def test_template_term_is_whole_and_in_parts():
    """Search mode: 政府信息公开 stays one token (a question naming it matches) and yields its parts too."""
    tokens = tokenize("政府信息公开")
    assert "政府信息公开" in tokens
    assert {"政府", "信息", "公开"} <= set(tokens)


@pytest.mark.parametrize("term", ["行政复议", "依申请公开", "结转下年度", "政府集中采购"])
def test_template_terms_survive(term):
    assert term in TEMPLATE_TERMS
    assert term in tokenize(f"关于{term}的情况")


def test_mixed_chinese_latin_and_digits():
    tokens = tokenize("2020年收到167件申请，其中ABC公司通过Web网站提交3件，占比3.5%。")
    assert {"2020", "167", "3", "abc", "web", "申请", "网站"} <= set(tokens)
    assert "ABC" not in tokens  # Latin is lower-cased


def test_punctuation_and_function_words_are_dropped():
    tokens = tokenize("请问，的了和：“公开”！")
    assert tokens == ["公开"]


@pytest.mark.parametrize("text", ["", " ", "\n\t\u3000 ", "，。！？、"])
def test_empty_whitespace_and_punctuation_only_give_no_tokens(text):
    assert tokenize(text) == []


def test_query_and_passage_tokens_meet():
    """The same function at both ends: a question's tokens occur among the passage's."""
    passage = set(tokenize("本年新收政府信息公开申请数量18件，予以公开3件。"))
    question = tokenize("本年新收了多少政府信息公开申请？")
    assert {"本年新收", "政府信息公开", "申请"} <= set(question)
    assert set(question) - {"多少", "了"} <= passage


def test_tokens_do_not_depend_on_what_was_ingested():
    """The same text is cut the same way whatever else was tokenized before (index and question must agree)."""
    text = "青溪坪塘街道的政府信息公开工作"  # an invented name: no dictionary holds it
    before = tokenize(text)
    tokenize("青溪坪塘街道 青溪坪塘街道 桥头胡街道 政府集中采购")
    assert tokenize(text) == before
    assert "政府信息公开" in before and "街道" in before


def test_tokens_are_findable_through_fts5():
    """Tokens joined by spaces are what passages_fts holds; unicode61 then matches whole Chinese tokens."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(tokens, tokenize='unicode61 remove_diacritics 0')")
    texts = ["全面推进政府信息公开工作", "加强行政复议应诉工作", "微信公众号发布信息120条"]
    conn.executemany("INSERT INTO t (rowid, tokens) VALUES (?, ?)",
                     [(i, " ".join(tokenize(text))) for i, text in enumerate(texts)])

    def match(expression: str) -> list[int]:
        return [row[0] for row in conn.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid", (expression,))]

    assert match('"政府信息公开"') == [0]
    assert match('"行政复议"') == [1]
    assert match('"公众号"') == [2]
    assert match('"工作"') == [0, 1]
    # a question's tokens OR-ed: the whole term finds its passage, its parts (信息) reach further
    assert match(" OR ".join(f'"{token}"' for token in tokenize("政府信息公开"))) == [0, 2]


def test_rjieba_cuts_every_block_of_the_reports_as_jieba_does():
    """The index may have been built with either backend and a question cut with the other: they must agree."""
    import re

    pytest.importorskip("rjieba")
    from ingest.tokenize import _BLOCK, segmenter
    from tests.conftest import ROOT

    texts = [p.read_text(encoding="utf-8", errors="replace")
             for folder in ("data/reports", "tests/fixtures/wild/reports") for p in sorted((ROOT / folder).glob("*.txt"))]
    blocks = sorted({b for text in texts for b in _BLOCK.findall(text) if re.search(r"[\u4e00-\u9fff]", b)})
    assert len(blocks) > 5000
    rust, python = segmenter("rjieba"), segmenter("jieba")
    assert [list(rust(b)) for b in blocks] == [list(python(b)) for b in blocks]
