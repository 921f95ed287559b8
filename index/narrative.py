"""Narrative answers: hybrid retrieval (BM25 + dense, fused by RRF), favouring the section a question points at,
and an answer that quotes the passages with their citations. A number that lives only in the text is answered by
quoting the sentence that states it."""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ingest.tokenize import tokenize

from .dense import DenseIndex, Embedder
from .fusion import rrf
from .lexical import LexicalIndex
from .lexicon import synonyms
from .model import Citation, Hit, Query, ReportRef
from .numeric import Tables
from .wording import W

__all__ = ["Retriever", "ReportScope", "quote_answer", "number_sentence", "asks_count", "mentions_asked",
           "SECTION_EXPANSIONS"]

SECTION_EXPANSIONS = {
    "problems": "问题 不足 有待 差距",
    "measures": "改进 措施 加强 进一步 下一步",
    "channels": "公众号 微博 网站 新媒体 平台 渠道",
    "contact": "电话 联系 地址",
    "fees": "信息处理费 处理费 收取 收费 费用",
}
_SECTION_BONUS = 1.0 / 61  # as much as one first place in one ranking


def _favoured(section: str | None, hit_key: str | None, path: str, text: str) -> bool:
    if section == "problems":
        return hit_key == "problems" and not re.search(r"改进措施|整改措施|措施", path.split("/")[-1]) \
            and bool(re.search(r"问题|不足|有待|差距|薄弱", text))
    if section == "measures":
        return hit_key == "problems" and (bool(re.search(r"改进|措施|整改|下一步", path.split("/")[-1]))
                                         or bool(re.search(r"一是|进一步|将继续|加强|加大", text)))
    if section == "channels":
        return hit_key in ("overview", "proactive", None) and bool(re.search(r"公众号|微博|网站|新媒体|平台|抖音", text))
    if section == "contact":  # a contact given, not 与申请人联系
        return bool(re.search(r"电话|传真|邮箱|信箱|地址|联系方式|\d{3,4}\s*[-—－–]\s*\d{7,8}|\d{11}", text))
    if section == "fees":  # the information-processing fee, not the 收费项目目录 of proactive disclosure
        return bool(re.search(r"处理费|收取.{0,6}费", text))
    return False


@dataclass(frozen=True)
class ReportScope:
    """The reports of a text question that names no body: those of ``years`` (every year held when none), of a kind
    of body (``kind``: 街道, 镇 …, any when None) and of a ``place``, as :class:`Tables` lists them."""
    years: tuple[int, ...] = ()
    kind: str | None = None
    place: str | None = None

    def listed(self, tables: Tables) -> list[ReportRef]:
        years = self.years or tables.years(self.kind, self.place)
        return [r for year in years for r in tables.reports_in(year, self.kind, self.place)]


MAX_SCOPES = 8  # scopes whose report ids are kept (each up to one id per report held)


class Retriever:
    def __init__(self, conn: sqlite3.Connection, dense: DenseIndex | None = None, embedder: Embedder | None = None,
                 total: int | None = None, cache: dict[Any, Any] | None = None):
        """``cache``: a dict kept while the store is unchanged, for what is read once (see :mod:`index.lexical`)."""
        self.conn = conn
        self.cache = cache if cache is not None else {}
        self.lexical = LexicalIndex(conn, total, self.cache)
        self.dense = dense if embedder is not None else None
        self.embedder = embedder

    def held(self, scope: ReportScope) -> tuple[str, ...]:
        """The ids of the reports in ``scope``, listed once while the store is unchanged (one scope can be most of
        the corpus: listing 9,000 reports costs more than searching them)."""
        ids = self.cache.get(scope)
        if ids is None:
            ids = tuple(r.id for r in scope.listed(Tables(self.conn)))
            scopes = [key for key in list(self.cache) if isinstance(key, ReportScope)]  # (list: one step, threads)
            for key in scopes[:len(scopes) + 1 - MAX_SCOPES]:
                self.cache.pop(key, None)
            self.cache[scope] = ids
        return ids

    def search(self, question: str, query: Query, reports: Sequence[ReportRef] | ReportScope, limit: int = 8,
               mode: str = "hybrid") -> list[Hit]:
        """Passages for ``question`` within ``reports``: the named reports (all when none) or those of a scope;
        mode: hybrid | bm25 | dense."""
        scope = self.held(reports) if isinstance(reports, ReportScope) else None
        if scope == ():
            return []
        by_id = {r.id: r for r in reports} if scope is None else {}
        report_ids = scope if scope is not None else tuple(by_id)
        # within named reports, their names and years only add noise to the scores
        asked = query.topic if report_ids and query.topic.strip() else query.text  # simplified, as indexed
        search_text = asked + " " + SECTION_EXPANSIONS.get(query.section or "", "")
        rankings: list[list[int]] = []
        if mode in ("hybrid", "bm25"):
            rankings.append([pid for pid, _ in self.lexical.search(search_text, report_ids, "text", 30)])
        if mode in ("hybrid", "dense") and self.dense is not None and self.embedder is not None:
            allowed = None
            if scope is not None:
                allowed = self.lexical.passage_ids(scope, "text")
            elif by_id:
                marks = ",".join("?" * len(by_id))
                allowed = [pid for (pid,) in self.conn.execute(
                    f"SELECT id FROM passages WHERE kind = 'text' AND report_id IN ({marks})", tuple(by_id))]
            vector = self.embedder.encode_queries([asked])[0]
            rankings.append([pid for pid, _ in self.dense.search(vector, 30, allowed)])
        scores = rrf(rankings)
        if not scores:
            return []
        rows = self._passages(list(scores))
        if not by_id:  # named reports: only their passages are hits (a scope's rankings keep to it)
            by_id = self._reports({report_id for report_id, *_ in rows.values()})
        hits = []
        for pid, (report_id, kind, key, path, text) in rows.items():
            if kind != "text" or report_id not in by_id:
                continue
            report = by_id[report_id]
            favoured = _favoured(query.section, key, path, text)
            hits.append(Hit(pid, scores[pid] + (_SECTION_BONUS if favoured else 0.0), report, kind, key, path, text,
                            favoured))
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]

    def _passages(self, ids: list[int]) -> dict[int, tuple]:
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            f"SELECT id, report_id, kind, section_key, section, text FROM passages WHERE id IN ({marks})", ids)
        return {row[0]: row[1:] for row in rows}

    def _reports(self, ids: set[str]) -> dict[str, ReportRef]:
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(f"SELECT id, body, body_full, year, title, source, format, tables FROM reports"
                                 f" WHERE id IN ({marks})", tuple(ids))
        return {row[0]: ReportRef(*row) for row in rows}


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[。；！？])|\n", text) if s.strip()]


_COUNT = re.compile(r"多少|(?<!哪)几(?:个|件|次|名|人|项|条|篇|场|期|家|位|所|天)|数量")
_QUESTION_WORDS = frozenset("多少 数量 数字 总数 总共 一共 共计 情况 怎么样 怎样 如何 哪些 什么 是否".split())
_DATES = re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{1,2}\s*月\s*\d{1,2}\s*日")
_NONE_HAPPENED = re.compile(r"未(?:发生|收取|产生|收到|出现)|没有(?:发生|收取|产生|收到)|均无|为零")


_COUNT_WORD = re.compile(r"(?:几|多少)[个件次篇条项名人场期家位所天起宗份]?|[是有共]?多少")
_GENERIC_TOPIC = frozenset("公开 主动 主动公开 信息 政府 政府信息 发布 工作 情况 年度 全年 本年".split())


def asks_count(question: str) -> bool:
    """"多少", "几件" …: a question for a number (not 哪几项, not 数字化)."""
    return bool(_COUNT.search(question))


def _asked_words(query: Query) -> list[str]:
    """The words of what is asked, each whole once: 规范性文件, not also 规范/文件/范性 (jieba's search mode)."""
    tokens = [t for t in dict.fromkeys(tokenize(query.topic or query.text))
              if len(t) >= 2 and t not in _QUESTION_WORDS and not t.isdigit() and not _COUNT_WORD.fullmatch(t)]
    return [t for t in tokens if not any(t != other and t in other for other in tokens)]


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


_COUNTED_IN_WORDS = re.compile(r"(?<![第之])[一二两三四五六七八九十]{1,3}(?:名|个|人|次|项|件|条|篇|场|期|家|位|所|批|轮)"
                               r"(?!是|方面|步|起|些)")


def _states_number(sentence: str, words: Sequence[str] = ()) -> bool:
    """A number other than a year or a date, or words saying there was none (未发生收费). A small count written in
    words counts when what it counts is an asked word (配备一名工作人员 for 工作人员): 一项长期性工作 and 四个部分 are
    no answers."""
    rest = _DATES.sub("", sentence)
    if re.search(r"\d", rest) or _NONE_HAPPENED.search(sentence):
        return True
    return any(any(rest[m.end():m.end() + 8].startswith(w) or w in rest[m.end():m.end() + len(w) + 2] for w in words)
               for m in _COUNTED_IN_WORDS.finditer(rest))


def number_sentence(query: Query, hits: Sequence[Hit]) -> tuple[str, Hit] | None:
    """The sentence of the passages that states a number and holds the most of the asked words (two at least, or
    every word when fewer are asked), with its passage; None when no sentence says it. Among equals, one where an
    asked word is directly followed by its number (规范性文件 34 件, not 规范性文件等 243 件) wins."""
    words = _asked_words(query)
    need = min(2, len(words))
    # what the tables could not account for is what the sentence must be about (人员 in 有多少工作人员), unless it
    # is only the report's own vocabulary (主动公开, 信息)
    topic = [t for run in query.leftover_words for t in tokenize(run)
             if len(t) >= 2 and t not in _QUESTION_WORDS and t not in _GENERIC_TOPIC]
    best, best_score = None, 0.0
    for hit in hits:
        for sentence in _sentences(hit.text):
            if not _states_number(sentence, words):
                continue
            compact = _compact(sentence)
            if topic and not any(t in compact for t in topic):
                continue
            shared = [word for word in words if word in compact or any(w in compact for w in synonyms(word))]
            counted = any(re.search(re.escape(word) + r"[:：]?\d", compact) for word in shared)
            score = len(shared) + (0.5 if counted else 0.0)
            if score > best_score:
                best, best_score = (sentence, hit), score
    return best if need and best_score >= need else None


def mentions_asked(query: Query, hits: Sequence[Hit]) -> bool:
    """Whether a passage holds every asked word, or is one of the section the question points at."""
    words = _asked_words(query)
    return any(h.favoured for h in hits) or \
        bool(words) and any(all(word in _compact(h.text) for word in words) for h in hits)


def quote_answer(query: Query, hits: Sequence[Hit], per_answer: int = 3,
                 stated: tuple[str, Hit] | None = None) -> tuple[str, list[Citation]]:
    """Quote the best passages (those of the best hit's report, in document order when one report is asked), and
    first the sentence that states the number asked for, when the caller found one (``number_sentence``)."""
    top = hits[0]
    pool = [h for h in hits if h.report.id == top.report.id] if query.bodies else list(hits)
    if any(h.favoured for h in pool):
        pool = [h for h in pool if h.favoured]  # the section the question asks about, nothing else
    else:
        pool = [h for h in pool if h.score >= 0.6 * top.score]
    chosen = pool[:per_answer]
    if stated and stated[1] not in chosen:
        chosen = [stated[1]] + chosen[:per_answer - 1]  # the passage that states the number is quoted
    if query.bodies:
        chosen.sort(key=lambda h: h.passage_id)
    citations = [Citation(h.report.body, h.report.year, h.report.display_title, h.report.source, h.section, h.text)
                 for h in chosen]
    lines = []
    if stated:
        source = "" if query.bodies else f"{stated[1].report.body}{stated[1].report.year}年："
        lines.append(W.NUMBER_IN_TEXT.format(sentence=source + stated[0]))
    if len({h.report.id for h in chosen}) == 1:
        lines.append(W.NARRATIVE_HEAD.format(body=top.report.body, year=top.report.year, title=top.report.display_title))
        lines += [W.QUOTE.format(section=h.section, text=h.text) for h in chosen]
    else:
        lines.append(W.NARRATIVE_MULTI)
        lines += [W.QUOTE.format(section=f"{h.report.body}{h.report.year}年 · {h.section}", text=h.text) for h in chosen]
    return "\n".join(lines), citations
