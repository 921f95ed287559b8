"""The answering service: question in, cited :class:`Answer` out. Built once, used from many threads."""
from __future__ import annotations

import logging
import os
import re
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

from ingest.checks import fmt_number
from ingest.config import Config
from ingest.errors import IndexMismatchError
from ingest.store import SCHEMA_VERSION, open_readonly, store_id

from .aggregate import MAX_CITED, aggregate_answer
from .dense import DenseIndex, Embedder, current_dir, load_embedder, read_meta
from .followup import Context, next_context, read_follow_up
from .gazetteer import Gazetteer
from .model import Answer, Citation, Hit, Query, ReportRef
from .narrative import ReportScope, Retriever, asks_count, mentions_asked, number_sentence, quote_answer
from .numeric import Tables, contradictions, describe_share, describe_value, read_measure, whole_of
from .question import MAX_QUESTION_CHARS, asks_total, parse_question, truncated
from .wording import W

__all__ = ["Answerer"]

log = logging.getLogger(__name__)


class Answerer:
    """Holds the store connection(s), the gazetteer and the indexes.

    ``embedder`` may be given (tests build a small model); otherwise the configured model is loaded when a dense
    index exists. When it cannot be, ``notices`` says so once and answers use the lexical index alone.
    """

    def __init__(self, config: Config, embedder: Embedder | None = None, dense: bool = True, lazy: bool = False):
        """``lazy``: the dense index and its model are loaded when the first question needs them (a one-shot
        ``bot ask`` of a number never loads them); a notice about them then comes with that answer."""
        self.config = config
        self.database: Path = config.paths.database
        self._local = threading.local()
        self._reload = threading.Lock()
        self._want_dense = dense
        self._lazy = lazy
        self._pending: tuple[int | None] | None = None  # the store's identity, while the dense index waits to load
        self.embedder: Embedder | None = embedder
        self.dense: DenseIndex | None = None
        self._open()

    def _open(self) -> None:
        """Read what the store holds (bodies, passage count) and load the dense index: at start, and again when
        another process (``python -m ingest``, a rebuild) has changed the store since. The new state is built
        aside and put in place at the end: a question answered meanwhile uses the old one whole."""
        seen, index_seen = _fingerprint(self.database), self._index_fingerprint()
        notices: list[str] = []
        if not self.database.exists():
            self.notices, self.ready, self._seen, self._index_seen = [W.NO_REPORTS], False, seen, index_seen
            return
        conn = open_readonly(self.database)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                self.notices, self.ready = [W.OLD_STORE.format(path=self.database)], False
                self._seen, self._index_seen = seen, index_seen
                return
            gazetteer = Gazetteer(Tables(conn).bodies())
            passage_count = conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
            identity = store_id(conn)
        finally:
            conn.close()
        dense, embedder, pending = None, self.embedder, None
        if self._want_dense and self._lazy:
            pending = (identity,)
        elif self._want_dense:
            dense, embedder = self._load_dense(self.embedder, identity, notices)
        self.gazetteer, self.passage_count, self._doc_freqs = gazetteer, passage_count, {}
        self.dense, self.embedder, self.notices, self.ready = dense, embedder, notices, True
        self._pending = pending
        self._seen, self._index_seen = seen, index_seen  # last: another thread's reload waits for this one

    def _current(self) -> None:
        """Reload when the store file changed (a commit writes it; a rebuild replaces it) or a new dense index was
        swapped in: a long-running bot answers from what ``python -m ingest`` added since it started."""
        if _fingerprint(self.database) == self._seen and self._index_fingerprint() == self._index_seen:
            return
        with self._reload:
            if _fingerprint(self.database) != self._seen or self._index_fingerprint() != self._index_seen:
                self._open()

    def _index_fingerprint(self) -> tuple[int, int, int] | None:
        """The current dense index's meta file, as a stat sees it: a swap points ``current`` at another one. One
        stat a question, not a read."""
        return _fingerprint(current_dir(self.config.paths.index) / "meta.json")

    def _load_dense(self, embedder: Embedder | None, identity: int | None,
                    notices: list[str]) -> tuple[DenseIndex | None, Embedder | None]:
        """The dense index and its embedder, or (None, embedder) with a notice saying why answers are lexical."""
        settings = self.config.index
        meta = read_meta(self.config.paths.index)
        if meta is None:
            from .e5model import folder_ready, is_e5_folder

            folder = Path(settings.model)
            first = "python -m index model，再运行 " if is_e5_folder(folder) and not folder_ready(folder) else ""
            notices.append(f"向量索引还没有建立（运行 {first}python -m index build），只用关键词索引（BM25）回答。")
            return None, embedder
        if meta.get("store_id") is not None and identity is not None and meta["store_id"] != identity:
            notices.append(W.DENSE_OTHER_STORE)  # a rebuild swaps the index in before the store: not paired
            return None, embedder
        if embedder is None:
            embedder, reason = load_embedder(settings.model, settings.query_instruction, settings.batch_size)
            if embedder is None:
                notices.append(reason or W.DENSE_OFF)
                return None, None
        try:
            return DenseIndex.load(self.config.paths.index, embedder.name, embedder.dim), embedder
        except IndexMismatchError as e:
            notices.append(str(e))
            return None, embedder

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        inode = self._seen[0] if self._seen else None
        if conn is not None and getattr(self._local, "inode", None) != inode:  # the file was replaced: reopen
            conn.close()
            conn = None
        if conn is None:
            conn = open_readonly(self.database, check_same_thread=False)
            self._local.conn, self._local.inode = conn, inode
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _loaded(self) -> DenseIndex | None:
        """The dense index; a lazy service loads it here, once, at the first text question."""
        if self._pending is not None:
            with self._reload:
                if (pending := self._pending) is not None:
                    notices = list(self.notices)
                    self.dense, self.embedder = self._load_dense(self.embedder, pending[0], notices)
                    self.notices, self._pending = notices, None
        return self.dense

    @property
    def mode(self) -> str:
        """hybrid or bm25: how a text question is searched."""
        return "hybrid" if self._loaded() is not None else "bm25"

    # --- answering ------------------------------------------------------------------------------------------
    def answer(self, question: str, mode: str | None = None) -> Answer:
        """Answer one question; never raises for a bad question (empty, huge, emoji, SQL). Each question stands
        alone: a follow-up (那2020年呢) is told to write the question out whole."""
        return self._guarded(question, mode, None)[0]

    def answer_in(self, question: str, context: Context | None = None,
                  mode: str | None = None) -> tuple[Answer, Context]:
        """Answer one question of a conversation: a follow-up (那2019年呢, 王家街道呢, 和去年比呢, 按法人分呢) takes
        what it leaves unsaid from ``context`` and says so in ``Answer.carried``. Returns the answer and the context
        for the next question (keep one per user; ``Context()`` starts afresh, as after /new). With ``context``
        None a question is read as by :meth:`answer`."""
        answer, asked = self._guarded(question, mode, context)
        return answer, next_context(context, asked, answer)

    def _guarded(self, question: str, mode: str | None, context: Context | None) -> tuple[Answer, Query | None]:
        try:
            self._current()
            return self._respond(question, mode, context)
        except sqlite3.OperationalError as e:
            if "readonly" not in str(e):
                raise
            self.close()  # a writer was killed mid-transaction: a new connection rolls its journal back
            self._current()
            return self._respond(question, mode, context)

    def _respond(self, question: str, mode: str | None, context: Context | None = None) -> tuple[Answer, Query | None]:
        """The answer, and the question as it was read (merged with the one before, for a follow-up), or None when
        it was not read at all."""
        question = question if isinstance(question, str) else ""
        if not question.strip():
            return Answer(question, "none", W.EMPTY), None
        if not self.ready:
            return Answer(question, "none", self.notices[0] if self.notices else W.NO_REPORTS), None
        tables = Tables(self._conn())
        clauses = _clauses(question)
        if len(clauses) > 1 and all(self._asks_of_its_own(c) for c in clauses[1:]):
            return self._clauses(question, clauses, mode)  # 收到几件？予以公开几件？: each part, in its context
        query = parse_question(question, self.gazetteer)
        warnings = [W.TRUNCATED.format(n=MAX_QUESTION_CHARS, question=query.text)] if truncated(question) else []
        warnings += [W.FUZZY.format(body=body) for body in query.fuzzy]
        if query.english:
            return Answer(question, "none", W.ENGLISH, warnings=tuple(warnings)), None
        if (follow := read_follow_up(question, query, context, self.gazetteer)) is not None:
            if follow.refusal:
                return Answer(question, "none", follow.refusal, warnings=tuple(warnings)), None
            if follow.query is None:  # a text question asked again of other bodies or years: read afresh
                answer, asked = self._respond(follow.question, mode)
            else:
                answer, asked = self._read(follow.question, follow.query, tables, warnings, mode), follow.query
            return replace(answer, question=question, carried=follow.carried,
                           warnings=tuple(dict.fromkeys(tuple(warnings) + answer.warnings))), asked
        if query.follow_up:
            body = query.bodies[0] if query.bodies else min(self.gazetteer.bodies, key=len)
            year = query.years[0] if query.years else ""
            example = f"{body}{year}{'年' if year else ''}收到多少申请"
            return Answer(question, "none", W.FOLLOW_UP.format(example=example), warnings=tuple(warnings)), None
        return self._read(question, query, tables, warnings, mode), query

    def _read(self, question: str, query: Query, tables: Tables, warnings: list[str], mode: str | None) -> Answer:
        """The answer to a question read as ``query``."""
        if not query.in_scope:
            return Answer(question, "none", W.OUT_OF_SCOPE, warnings=tuple(warnings))
        if query.unknown_body and (place := self._place_of(query)):  # 鄞州区东柳街道: a place the name leaves out
            body = query.bodies[0]
            if not tables.mentions(body, place):
                return Answer(question, "none", W.PLACE_NOT_STATED.format(body=body, place=query.unknown_body),
                              warnings=tuple(warnings),
                              suggestions=((body, query.text.replace(query.unknown_body, "", 1)),))
            warnings.append(W.PLACE_STATED.format(body=body, place=place))
            query = replace(query, unknown_body=None, suggestions=())
        if query.unknown_body:
            known = "、".join(sorted(self.gazetteer.bodies)[:12]) + ("等" if len(self.gazetteer.bodies) > 12 else "")
            missing = W.NO_BODY.format(body=query.unknown_body, known=known)
            missing += "".join(W.SUGGEST.format(body=body) for body in query.suggestions)
            retry = tuple((body, query.text.replace(query.unknown_body, body, 1)) for body in query.suggestions
                          if query.unknown_body in query.text)
            if not query.bodies or query.operation in ("value", "sum"):  # never answered as another body, nor summed
                return Answer(question, "none", missing, warnings=tuple(warnings), suggestions=retry)  # without it
            warnings.append(missing)
        if query.negated:
            return self._negated(question, query, tables, warnings)
        if query.measure is not None:
            return self._numeric(question, query, tables, warnings)
        if query.measures:  # measures of different tables asked together: each, and their sum
            return self._several(question, query, tables, warnings)
        return self._narrative(question, query, tables, warnings, mode or self.mode)

    def _asks_of_its_own(self, clause: str) -> bool:
        """A later part asks something of its own (予以公开几件, 主要是什么原因), not only 合计多少 or 最新一年多少 of
        the part before."""
        asked = parse_question(clause, self.gazetteer)
        return bool(asked.measure or asked.measures or asked.column or asked.section
                    or re.search(r"原因|为什么|哪些|什么", clause))

    def _clauses(self, question: str, clauses: list[str], mode: str | None) -> tuple[Answer, Query | None]:
        """Each part answered in the context of the first; and the last part as read, when it was answered."""
        first = parse_question(clauses[0], self.gazetteer)
        context = "".join(first.bodies) + "".join(f"{y}年" for y in first.years)
        answers = []
        previous = clauses[0]
        asked = None
        for clause in clauses:
            if clause.startswith("其中") and clause is not clauses[0]:  # 收到多少，其中法人多少: within the one before
                clause = re.sub(r"多少|几件|几个|几", "", previous) + clause
            read = parse_question(clause, self.gazetteer)
            if not read.bodies and not read.unknown_body and not read.scope and context:
                clause = context + clause
            answer, asked = self._respond(clause, mode)
            answers.append(answer)
            previous = clause
        joined = _joined(question, answers, [])
        joined = replace(joined, kind="numeric" if all(a.kind == "numeric" for a in answers) else joined.kind)
        return joined, asked if answers[-1].kind in ("numeric", "aggregate", "narrative") else None

    def _several(self, question: str, query: Query, tables: Tables, warnings: list[str]) -> Answer:
        answers = [self._numeric(question, replace(query, measure=m, measures=(), difference=False), tables, [])
                   for m in query.measures]
        joined = _joined(question, answers, warnings)
        if query.difference:
            return _difference_of(joined, answers)
        values = [a.value for a in answers]
        units = {a.unit for a in answers}
        if query.each:  # each number asked, none of them the answer alone
            notes = (W.NO_SUM,) if asks_total(query.text) else ()
            return replace(joined, value=None, warnings=joined.warnings + notes)
        if all(v is not None for v in values) and len(units) == 1 and all(a.kind == "numeric" for a in answers):
            total = sum(values)
            text = joined.answer + "\n" + W.SEVERAL_SUM.format(value=fmt_number(total), unit=units.pop() or "")
            return replace(joined, kind="numeric", answer=text, value=total, unit=answers[0].unit,
                           org=answers[0].org, year=answers[0].year)
        return joined

    def _place_of(self, query: Query) -> str | None:
        """The place written before the one body named, when the body's names carry no place (鄞州区|东柳街道): the
        place without its level (鄞州), else None."""
        unknown = query.unknown_body
        if len(query.bodies) != 1 or self.gazetteer.places.get(query.bodies[0]) or \
                not re.fullmatch(r"[\u4e00-\u9fff]{2,8}?(?:省|市|区|县|旗|州)", unknown):
            return None
        after = query.text[query.text.find(unknown) + len(unknown):]
        named = self.gazetteer.match(after)
        if not named or named[0][0] != 0 or named[0][2] != query.bodies[0]:
            return None
        stem = re.sub(r"(?:省|市|区|县|旗|州)$", "", unknown)
        return stem if len(stem) >= 2 else None

    def _negated(self, question: str, query: Query, tables: Tables, warnings: list[str]) -> Answer:
        """没有予以公开的申请: the table counts each outcome, not what is not one; the cells asked about and the
        total they are part of are given, and no difference is made up."""
        measure = query.negated_measures[0]
        asked = replace(query, measure=measure, negated="", negated_measures=())
        if len(query.bodies) != 1 or len(query.years) > 1:
            return Answer(question, "none", W.NEGATED.format(words=query.negated), warnings=tuple(warnings))
        report = self._report_for(tables, query.bodies[0], asked, warnings)
        if isinstance(report, Answer):
            return _with_question(report, question)
        texts, citations = [], []
        whole = whole_of(measure, asked)  # the cells asked about, and the whole they are part of, if any
        for part, part_query in [(measure, asked)] + ([whole] if whole else []):
            text, notes, cited = describe_value(tables, read_measure(tables, report, part, part_query), part_query)
            texts.append(text)
            citations += [c for c in cited if c not in citations]
            warnings += [n for n in notes if n not in warnings]
        text = W.NEGATED.format(words=query.negated) + W.NEGATED_CELLS.format(cells="".join(texts))
        return Answer(question, "none", text,
                      org=report.body, year=report.year, citations=tuple(citations), warnings=tuple(warnings))

    def _share(self, question: str, query: Query, tables: Tables, warnings: list[str]) -> Answer:
        """比例, 占比: one report's measure as a share of its whole, computed from the cells and said to be."""
        if len(query.bodies) != 1 or len(query.years) > 1 or query.operation != "value":
            body = query.bodies[0] if query.bodies else min(self.gazetteer.bodies, key=len)
            year = f"{query.years[0]}年" if query.years else ""
            return Answer(question, "none", W.SHARE_ONE_REPORT.format(example=f"{body}{year}予以公开的申请占比"),
                          warnings=tuple(warnings))
        report = self._report_for(tables, query.bodies[0], query, warnings)
        if isinstance(report, Answer):
            return _with_question(report, question)
        text, percent, citations, notes = describe_share(tables, report, query)
        return Answer(question, "numeric", text, percent, "%" if percent is not None else None, report.body,
                      report.year, tuple(citations), tuple(warnings + notes))

    def _report_for(self, tables: Tables, body: str, query: Query, warnings: list[str]) -> ReportRef | Answer:
        reports = tables.reports_of(body)
        if query.years:
            found = [r for r in reports if r.year == query.years[0]]
            if not found:
                held = "、".join(f"{r.year}年" for r in reports) or "无"
                return Answer(query.text, "none", W.NO_YEAR.format(body=body, year=query.years[0], years=held),
                              org=body, warnings=tuple(warnings))
            return found[0]
        if len(reports) > 1:
            warnings.append(W.NEWEST_YEAR.format(body=body, year=reports[-1].year))
        return reports[-1]

    def _numeric(self, question: str, query: Query, tables: Tables, warnings: list[str]) -> Answer:
        if query.span and len(query.bodies) == 1:  # 2019年以来: the body's years held in the range
            first, last = query.span
            held = [r.year for r in tables.reports_of(query.bodies[0])]
            years = tuple(y for y in held if (first is None or y >= first) and (last is None or y <= last))
            if years:
                warnings.append(W.SPAN_READ.format(years="、".join(f"{y}年" for y in years)))
            operation = "value" if len(years) == 1 else "sum" if asks_total(query.text) else \
                query.operation if query.operation != "value" else "trend"
            query = replace(query, years=years or query.years, span=None, operation=operation)
        if query.share:
            return self._share(question, query, tables, warnings)
        if len(query.bodies) > 1 and query.operation == "sum":
            return self._over_bodies(question, query, tables, warnings, "sum")
        if len(query.bodies) > 1 and (query.operation == "trend" or len(query.years) > 1):  # A和B历年: each body
            answers = [self._numeric(question, replace(query, bodies=(body,)), tables, []) for body in query.bodies]
            return _joined(question, answers, warnings)
        if query.bodies and query.operation in ("max", "min") and re.search(r"哪一?年", query.text):
            reports = tables.reports_of(query.bodies[0])  # 哪一年收到申请最多: the body's years ranked
            return aggregate_answer(question, query, tables, reports, warnings)
        if query.bodies and (query.operation in ("trend", "sum") or len(query.years) > 1):
            body = query.bodies[0]
            held = tables.reports_of(body)
            if query.recent and held:  # 近三年: the three years up to the newest held, a year not held said so
                query = _recent_years(query, max(r.year for r in held))
            reports = [r for r in held if not query.years or r.year in query.years]
            missing = [y for y in query.years if y not in {r.year for r in held}]
            if missing:  # 比去年: the year before is not held
                years = "、".join(f"{r.year}年" for r in held) or "无"
                warnings += [W.NO_YEAR.format(body=body, year=y, years=years) for y in missing]
                if not reports:
                    return Answer(question, "none", warnings.pop(), org=body, warnings=tuple(warnings))
            if query.operation == "sum" and len(query.bodies) > 1:  # A和B加起来: the named bodies' year, summed
                return self._over_bodies(question, query, tables, warnings, "sum")
            if query.operation == "sum" and missing:  # a year asked is not held: the total of those years is
                answer = aggregate_answer(question, replace(query, operation="trend", difference=False), tables,
                                          reports, warnings)  # unknown; each year held is listed
                text = W.SUM_YEARS_MISSING.format(years="、".join(f"{y}年" for y in missing)) + answer.answer
                return replace(answer, answer=text, value=None, unit=None)
            return aggregate_answer(question, _with(query, "sum" if query.operation == "sum" else "trend"), tables,
                                    reports, warnings)
        if len(query.bodies) > 1:
            reports = []
            for body in query.bodies:
                found = self._report_for(tables, body, query, warnings)
                if isinstance(found, ReportRef):
                    reports.append(found)
                else:
                    warnings.append(found.answer)  # 东柳街道 has no 2019 report: said, not dropped silently
            operation = query.operation if query.operation in ("max", "min", "rank", "rank_min", "nth", "nth_min") else "compare"
            return aggregate_answer(question, _with(query, operation), tables, reports, warnings)
        if query.bodies and query.difference and query.column and query.column.count("+") == 1 \
                and len(query.years) <= 1:  # 自然人比商业企业多几件: two columns of one row, and their difference
            answers = [self._numeric(question, replace(query, column=column, difference=False), tables, [])
                       for column in query.column.split("+")]
            return _difference_of(_joined(question, answers, warnings), answers)
        if query.bodies:
            report = self._report_for(tables, query.bodies[0], query, warnings)
            if isinstance(report, Answer):
                return _with_question(report, question)
            reading = read_measure(tables, report, query.measure, query)
            if reading.status == "missing" and query.measure.column == "change":  # 2021 format: no 本年增/减 column
                measure = replace(query.measure, column="decisions", label=query.measure.label.split("（")[0])
                return self._numeric(question, replace(query, measure=measure, years=(report.year - 1, report.year),
                                                       operation="trend", difference=True), tables, warnings)
            text, notes, citations = describe_value(tables, reading, query)
            contradicted = bool(contradictions(tables, reading))  # the report's own sums disagree with the cell
            if (reading.status != "ok" or contradicted) and (stated := self._stated_in_text(question, query, report)):
                sentence, hit = stated  # the cell gives no number, the report's text states one: quote it
                text += W.STATED_IN_TEXT.format(sentence=sentence)
                citations.append(Citation(report.body, report.year, report.display_title, report.source,
                                          hit.section, hit.text))
            value = reading.value if reading.status == "ok" else None
            return Answer(question, "numeric", text, value, reading.unit if value is not None else None, report.body,
                          report.year, tuple(citations), tuple(warnings + notes))
        operation = query.operation if query.operation in ("sum", "max", "min", "rank", "rank_min", "nth", "nth_min") else "list"
        if len(query.years) > 1 and operation in ("sum", "max", "min", "rank", "rank_min", "nth", "nth_min"):
            reports = [r for y in query.years for r in tables.reports_in(y, query.scope, query.place)]  # both years
            if not reports:
                return Answer(question, "none", W.AGG_NONE.format(year="、".join(map(str, query.years))),
                              warnings=tuple(warnings))
            return aggregate_answer(question, _with(query, operation), tables, reports, warnings,
                                    "、".join(map(str, query.years)))
        if len(query.years) > 1 or query.operation == "trend":  # 各街道历年, 2019年和2020年各街道: year by year
            newest = tables.latest_year(query.scope, query.place)
            if query.recent and newest is not None:
                query = _recent_years(query, newest)
            years = query.years or tables.years(query.scope, query.place)
            operation = "sum" if operation == "list" and query.operation == "trend" else operation
            answers = [aggregate_answer(question, _with(query, operation), tables, tables.reports_in(y, query.scope, query.place),
                                        [], y) for y in years]
            return _joined(question, answers, warnings)
        year = query.years[0] if query.years else tables.latest_year(query.scope, query.place)
        if not query.years and year is not None:
            warnings.append(W.LATEST_YEAR_ALL.format(year=year))
        reports = tables.reports_in(year, query.scope, query.place) if year is not None else []
        if not reports:
            held = "、".join(f"{y}年" for y in tables.years(query.scope, query.place))
            text = W.AGG_NOTHING_HELD.format(year=year, scope=query.scope or "机关", years=held) if held else \
                W.AGG_NO_SCOPE.format(scope=query.scope or "机关")
            return Answer(question, "none", text, warnings=tuple(warnings))
        if operation == "list" and len(reports) == 1:  # one report that year: the question can only be about it
            return self._numeric(question, replace(query, bodies=(reports[0].body,), years=(year,)), tables, warnings)
        return aggregate_answer(question, _with(query, operation), tables, reports, warnings, year)

    def _over_bodies(self, question: str, query: Query, tables: Tables, warnings: list[str],
                     operation: str) -> Answer:
        """The named bodies' reports of the year asked, and an operation over them (a sum: 东柳和桥头胡加起来)."""
        reports = []
        for body in query.bodies:
            held = tables.reports_of(body)
            found = [r for r in held if not query.years or r.year in query.years]
            if not found:
                years = "、".join(f"{r.year}年" for r in held) or "无"
                return Answer(question, "none", W.NO_YEAR.format(body=body, year="、".join(map(str, query.years)),
                                                                  years=years), warnings=tuple(warnings))
            reports += found if query.years else found[-1:]
        return aggregate_answer(question, _with(query, operation), tables, reports, warnings)

    def _stated_in_text(self, question: str, query: Query, report: ReportRef) -> tuple[str, Hit] | None:
        """A sentence of the report's text that states a number about what is asked, with its passage."""
        retriever = Retriever(self._conn(), None, None, self.passage_count, self._doc_freqs)
        return number_sentence(query, retriever.search(question, query, [report], mode="bm25"))

    def passages(self, question: str, mode: str | None = None, limit: int = 10) -> list[Hit]:
        """The passages a narrative answer to ``question`` would quote from, best first (for measuring retrieval)."""
        self._current()
        if not self.ready:
            return []
        tables = Tables(self._conn())
        query = parse_question(question, self.gazetteer)
        retriever = Retriever(self._conn(), self._loaded(), self.embedder, self.passage_count, self._doc_freqs)
        reports = self._narrative_reports(question, query, tables, [], retriever)
        if isinstance(reports, Answer):
            return []
        return retriever.search(question, query, reports, limit=limit, mode=mode or self.mode)

    def _narrative_reports(self, question: str, query: Query, tables: Tables, warnings: list[str],
                           retriever: Retriever) -> list[ReportRef] | ReportScope | Answer:
        """The reports a narrative question is about (none: all): the named ones, or the scope of the years or kind
        of body it asks about; or the answer saying none is held."""
        if query.bodies:
            reports = []
            for body in query.bodies:
                found = self._report_for(tables, body, query, warnings)
                if isinstance(found, Answer):
                    return _with_question(found, question)
                reports.append(found)
            return reports
        if query.years or query.scope:  # 2020年各街道…, 哪些镇提到了…: the reports of those years or bodies
            scope = ReportScope(query.years, query.scope, query.place)
            if not retriever.held(scope):
                text = W.NOTHING_FOUND.format(scope=f"{query.years[0]}年") if query.years else \
                    W.AGG_NO_SCOPE.format(scope=query.scope)
                return Answer(question, "none", text, warnings=tuple(warnings))
            return scope
        return []

    def _narrative(self, question: str, query: Query, tables: Tables, warnings: list[str], mode: str) -> Answer:
        retriever = Retriever(self._conn(), self._loaded(), self.embedder, self.passage_count, self._doc_freqs)
        reports = self._narrative_reports(question, query, tables, warnings, retriever)
        if isinstance(reports, Answer):
            return reports
        hits = retriever.search(question, query, reports, mode=mode)

        def searched() -> str:  # the reports searched, for an answer saying what they do not hold
            held = reports.listed(tables) if isinstance(reports, ReportScope) else reports
            return "、".join(f"{r.body}{r.year}年" for r in held)

        if not hits:
            scope = searched() or "已收录"
            return Answer(question, "none", W.NOTHING_FOUND.format(scope=scope), warnings=tuple(warnings))
        if query.section == "contact" and query.bodies and not any(h.favoured for h in hits):
            scope = searched()  # 电话是多少: no passage gives a contact
            return Answer(question, "none", W.NOT_WRITTEN.format(scope=scope, topic="联系方式"), warnings=tuple(warnings))
        stated = number_sentence(query, hits) if asks_count(question) else None
        if query.leftover and query.asks_count and stated is None and query.bodies and query.section != "contact" \
                and not _mentioned(" ".join(query.leftover_words), hits, head=True):
            scope = searched()  # 访问量是多少: no cell, no sentence says it
            return Answer(question, "none", W.NUMBER_NOT_STATED.format(scope=scope, topic=_topic_words(query)),
                          warnings=tuple(warnings))
        if query.leftover and stated is None and not any(h.favoured for h in hits) and not _mentioned(query.leftover, hits):
            scope = searched() or "已收录"  # 书记是谁: the reports do not say
            return Answer(question, "none", W.NOT_WRITTEN.format(scope=scope, topic="".join(query.leftover_words) or query.leftover),
                          warnings=tuple(warnings))
        if query.bodies and query.measure is None and asks_count(question) and stated is None \
                and not mentions_asked(query, hits):
            scope = searched()  # "员工人数是多少": no table row, no sentence
            return Answer(question, "none", W.NUMBER_NOT_STATED.format(scope=scope, topic=_topic_words(query)),
                          warnings=tuple(warnings))
        text, citations = quote_answer(query, hits, self.config.index.passages_per_answer, stated)
        top = hits[0].report
        return Answer(question, "narrative", text, None, None, top.body, top.year, tuple(citations), tuple(warnings))


def _fingerprint(path: Path) -> tuple[int, int, int] | None:
    """The store file's identity and last write (inode, size, mtime), or None when there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


_CLAUSE_END = re.compile(r"[？?。；;！!]+")
_ASKS = re.compile(r"多少|几|是什么|有哪些|哪些|怎么|如何|为什么|原因")


def _clauses(question: str) -> list[str]:
    """The questions asked one after another in one message (收到几件申请？予以公开几件？; 多少，其中法人多少): two or
    more parts that each ask something. A single question, however long, is one part."""
    text = re.sub(r"\s+", "", question or "")
    parts = [p for p in _CLAUSE_END.split(text) if p]
    if len(parts) == 1:
        pieces = parts[0].split("，")
        parts = pieces if len(pieces) > 1 and all(_ASKS.search(p) for p in pieces) else parts
    asking = [p for p in parts if _ASKS.search(p)]
    return asking if len(asking) > 1 and len(asking) == len(parts) else [question]


def _joined(question: str, answers: list[Answer], warnings: list[str]) -> Answer:
    """Several answers (year by year, body by body) as one: their texts line by line, citations and warnings."""
    return Answer(question, "aggregate", "\n".join(a.answer for a in answers), None, None, None, None,
                  tuple(c for a in answers for c in a.citations)[:MAX_CITED],
                  tuple(warnings + [w for a in answers for w in a.warnings]))


_GENERIC_WORDS = frozenset("公开 主动 主动公开 信息 政府 政府信息 发布 工作 情况 年度 全年 本年 多少 数量 处理".split())


def _mentioned(words: str, hits, head: bool = False) -> bool:
    """Whether any word of ``words`` (jieba's, two characters or more) is in the passages found; with ``head``,
    whether its last such word is (the head of a Chinese noun phrase: 访问 of 网站访问量)."""
    from ingest.tokenize import tokenize

    tokens = [t for t in tokenize(words) if len(t) >= 2 and t not in _GENERIC_WORDS]
    text = "".join(re.sub(r"\s+", "", h.section + h.text) for h in hits[:10])
    if head and tokens:
        return tokens[-1] in text
    return not tokens or any(t in text for t in tokens)


def _topic_words(query: Query) -> str:
    """The asked-about words for a message: "员工人数" out of "员工人数是多少"."""
    topic = re.sub(r"(是|有|为)?(多少|几)(名|个|件|条|人|次|项)?|请问|呢|吗|？|\?|。", "", query.topic)
    return topic.strip("的了") or query.topic


def _difference_of(joined: Answer, answers: list[Answer]) -> Answer:
    """Two numbers of one report asked against each other (A比B多几件, A和B相差多少): each, and the first less the
    second; no number when either is missing or their units differ."""
    if len(answers) != 2 or any(a.value is None or a.kind != "numeric" for a in answers) \
            or answers[0].unit != answers[1].unit:
        return replace(joined, value=None, warnings=joined.warnings + (W.AGG_NO_DIFFERENCE,))
    value = answers[0].value - answers[1].value
    text = joined.answer + "\n" + W.DIFFERENCE_WITHIN.format(
        more="多" if value > 0 else "少", value=fmt_number(abs(value)), unit=answers[0].unit or "") \
        if value else joined.answer + "\n" + W.SAME_WITHIN
    return replace(joined, kind="numeric", answer=text, value=value, unit=answers[0].unit,
                   org=answers[0].org, year=answers[0].year)


def _recent_years(query: Query, newest: int) -> Query:
    """近三年 as the years it names: the three up to the newest held (2022—2024), not the three newest held (a
    year missing would pull in one before them)."""
    return replace(query, years=tuple(range(newest - query.recent + 1, newest + 1)), recent=0)


def _with(query: Query, operation: str) -> Query:
    return replace(query, operation=operation)


def _with_question(answer: Answer, question: str) -> Answer:
    return replace(answer, question=question)
