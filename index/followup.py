"""Follow-up questions in a conversation: what a question leaves unsaid, taken from the last one answered.

In a chat, "那2019年呢？", "王家街道呢？", "和去年比呢？", "按法人分呢？" ask the question before again with one part
changed. A question read by ``index.question`` has five parts a follow-up may leave unsaid:

    who     the bodies, or the kind of body asked over (各街道), or a place's bodies   bodies / scope / place
    when    the years, or 近两年, 2019年以来                                          years / recent / span
    what    the measure (or several, or a share), or the text a narrative asked about  measure / measures / share …
    column  the applicant or result column (自然人, 法人, 维持), a table-二 column (金额)  column, measure.column
    how     the operation (最多, 排名, 历年, 对比, 合计); 和去年比: the year before, and the difference

A follow-up says it is one (那… at the start, …呢 at the end, 其中…, 按…分, 和去年比) or names nothing but columns
(自然人？). The parts it names win; those it leaves unsaid are taken from the last question answered
(:class:`Context`), and the answer says what was taken (``Answer.carried``: 按上一问：桥头胡街道、本年新收申请). A
question that names who, when and what starts afresh, 呢 or not.

Nothing is guessed: a part that does not fit what it joins (自然人 of 政府集中采购, 和去年比 of a text question, 最多
after a body's trend: which year, or which body?) is refused with a message saying what to write. 去年, 前年 and 今年
are counted from today, as in any question; 上一年 and 下一年 from the year of the question before.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .gazetteer import Gazetteer
from .lexicon import words_for
from .model import Answer, Query
from .numeric import column_keys
from .question import asks_about_text, asks_total, follow_up_columns, operation_named, parse_question, with_t2_column
from .wording import W

__all__ = ["Context", "FollowUp", "read_follow_up", "next_context"]


@dataclass(frozen=True)
class Context:
    """What a conversation has asked: the last question answered (numeric, aggregate or narrative), as it was read
    with what it took. ``Context()`` is a conversation with nothing answered yet (just started, or /new)."""

    query: Query | None = None
    year: int | None = None  # the year its answer read (the newest held, when the question named none)


@dataclass(frozen=True)
class FollowUp:
    """A follow-up read with the question before."""

    question: str  # the question written out whole (王家街道2020年收到多少申请): what the answer is read for
    query: Query | None  # the question as merged; None: ``question`` is read afresh (a text question), or refused
    carried: str = ""  # what it took: 按上一问：桥头胡街道、本年新收申请
    refusal: str = ""  # why it cannot be read with the question before (no query then)


# the words that make a question a follow-up
_OPENER = re.compile(r"^(?:那么|那|还有|其中|另外)(?![些个样里边年])")
_CLOSER = re.compile(r"(?:呢|怎么样|又如何)[?？。!！]*$")
_ASKS_ON = re.compile(r"(?:怎么样|又如何)([?？。!！]*)$")  # 那2019年怎么样: as 那2019年呢
_YEAR_BEFORE = re.compile(r"(?:比|较|与|和|跟|同)(?:去年|上一?年|前一年)|同比")  # 和去年比: the year before the last
_YEAR_STEP = {"上一年": -1, "前一年": -1, "上年": -1, "下一年": 1, "后一年": 1, "次年": 1}  # 上一年呢: from its year
_YEAR_STEP_WORDS = re.compile(r"(上一年|前一年|上年|下一年|后一年|次年)度?(?!结转|度结转|遗留|转来|项目)")
_BY_YEAR = re.compile(r"哪一?年")
_BARE_KIND = re.compile(r"(?:那么?|还有)?(?:各|所有)?(街道|镇|乡|片区|局)(?:呢|怎么样|又如何)?[?？。]*")
# a text question over the corpus (哪些单位提到了微信公众号), not of the body before (有哪些改进措施)
_ACROSS = re.compile(r"哪些(?:街道|镇|乡|单位|机关|部门|报告|局|片区)|哪个|哪家|各|所有|全部|每个")
_OVER_BODIES = frozenset({"max", "min", "rank", "rank_min", "nth", "nth_min", "compare"})
_RANKS = _OVER_BODIES - {"compare"}


def read_follow_up(question: str, query: Query, context: Context | None, gazetteer: Gazetteer) -> FollowUp | None:
    """``question`` (read as ``query``) with the question before, when it is a follow-up and a conversation is kept
    (``context`` not None); None when it is to be read as it stands."""
    if context is None or query.english or query.negated:
        return None
    plain = _ASKS_ON.sub(r"呢\1", _OPENER.sub("", query.text))
    if plain != query.text:  # read without 那 (which the reader may take into a name: 那李家街道) and with 呢
        query = replace(parse_question(plain, gazetteer), text=query.text)  # for 怎么样 (not a text question)
    if not _who(query) and (kind := _BARE_KIND.fullmatch(plain)):  # 那片区呢: over that kind of body, as 各片区
        place = context.query.place if context.query is not None else None  # 平潭各单位 → 那片区呢: 平潭各片区
        query = replace(query, scope=kind[1], place=place, leftover="", leftover_words=(), follow_up=True)
    text = query.text
    leftover = _YEAR_STEP_WORDS.sub("", query.leftover)  # 下一年呢: a year counted from the question before
    if _YEAR_STEP_WORDS.search(text):  # 前一年的呢: what the reader left of it (年, 的) is that year too
        leftover = re.sub(r"[年度的]", "", leftover)
    columns = follow_up_columns(question, gazetteer) if leftover and not _what(query) else None
    if columns is not None and query.years and re.search(r"去年|上一?年", columns[2]):
        query = replace(query, years=())  # 上一年项目数量呢: a column of table 二, not a year
    about_text = not _what(query) and columns is None and bool(leftover or query.section
                                                               or asks_about_text(_stripped(text)))  # not 怎么样
    signalled = query.follow_up or columns is not None or bool(_OPENER.search(text) or _CLOSER.search(text)
                                                               or _YEAR_BEFORE.search(text))
    # 比2019年多多少, 一共多少, 分别是多少: words that ask nothing of their own, right after a number
    signalled |= not query.in_scope and not _what(query) and not _who(query) and context.query is not None \
        and _what(context.query) and bool(query.years or query.difference or query.each)
    asks_on = not signalled and query.in_scope and not _who(query) and context.query is not None \
        and _who(context.query) and not _ACROSS.search(text)  # right after a question about a body, naming none
    if about_text and asks_on:  # 存在什么问题: that body's
        return _text_asked_with(query, context.query)
    if asks_on and _what(query) and not _when(query) and not query.scope:  # 上年结转了多少: that body's, that year
        signalled = True
    if not signalled or about_text and _who(query) or _what(query) and _who(query) and _when(query):
        return None  # a question of its own (王家街道有哪些改进措施呢; 东柳街道2020年收到多少申请呢)
    body = query.bodies[0] if query.bodies else min(gazetteer.bodies, key=len)
    if context.query is None:
        if _what(query) or about_text:
            return None
        return FollowUp(question, None, refusal=W.FOLLOW_UP_FIRST.format(example=_example(body, query.years)))
    if about_text:
        return _text_asked_with(query, context.query)
    return _merged(question, query, context, columns, body)


def next_context(context: Context | None, asked: Query | None, answer: Answer) -> Context:
    """The conversation after ``answer``: its question when it was answered (numeric or aggregate with a measure, or
    a narrative), else the context as it was (a refused or unclear question does not erase it)."""
    numeric = answer.kind in ("numeric", "aggregate") and asked is not None and _what(asked)
    narrative = answer.kind == "narrative" and asked is not None and not _what(asked)
    if numeric or narrative:
        year = answer.year if numeric and answer.year is not None else (asked.years[-1] if asked.years else None)
        return Context(asked, year)
    return context if context is not None else Context()


# --- merging ----------------------------------------------------------------------------------------------------
def _merged(question: str, fu: Query, context: Context, columns, example_body: str) -> FollowUp:
    """A follow-up of a numeric question (or one naming a measure): the parts it names, the others taken."""
    base = context.query
    example = _example_of(base, example_body)
    taken = {"who": "", "when": "", "what": "", "how": ""}
    op, top = operation_named(_YEAR_STEP_WORDS.sub("", fu.text))  # 前一年 is a year, not 前一 (the first)
    how_named = op != "value" and not (op == "sum" and not asks_total(fu.text))
    by_year = how_named and (op == "trend" or op in ("max", "min") and bool(_BY_YEAR.search(fu.text)))
    year_before = bool(_YEAR_BEFORE.search(fu.text)) and not fu.years
    # 比2019年多多少: the year before's reading against the one named, the difference asked
    than_year = fu.difference and len(fu.years) == 1 and not _who(fu) and not _what(fu)
    step = _year_step(fu.text) if not year_before and not _what(fu) and columns is None else 0

    # what
    if _what(fu):
        what, topic = fu, _what_only(_stripped(fu.topic))
    elif not _what(base):  # the question before asked about the text: only its bodies and years can be changed
        if columns is not None or how_named or year_before or step:
            example = _example(base.bodies[0] if base.bodies else example_body, base.years)
            return _refused(W.FOLLOW_UP_NOT_NUMBER.format(question=fu.text, example=example), question)
        return _text_asked_again(fu, base)
    else:
        what, topic = base, _what_only(base.topic)
    measure, measures, column = what.measure, what.measures, what.column
    if columns is not None:
        table, keys, words = columns
        parts = measures or (measure,)
        if table == "二":
            recolumned = [with_t2_column(m, keys[0]) for m in parts] if len(keys) == 1 else [None]
            if any(m is None for m in recolumned):
                return _no_column(question, base, words, example)
            measure, measures = (recolumned[0], ()) if not measures else (None, tuple(recolumned))
            topic = "和".join(m.label.split("（")[0] for m in parts) + words  # 政府集中采购 + 项目
        elif any(m.table != table for m in parts):
            return _no_column(question, base, words, example)
        else:
            column = "+".join(dict.fromkeys(k[0] for k in keys))
            topic = words + _without_column(topic, table, base.column)  # 自然人 + 收到多少申请
    if what is base:  # the column named is not taken (按法人分呢: 本年新收申请)
        taken["what"] = _what_words(replace(base, measure=measure, measures=measures,
                                            column=None if columns is not None else column))

    # who
    if _who(fu):
        who = fu
    elif how_named and op in _RANKS and not by_year and len(base.bodies) == 1:  # 最多的呢: over the bodies
        if _by_year(base):
            return _refused(W.FOLLOW_UP_WHICH.format(question=fu.text, example=example), question)
        who = replace(base, bodies=(), scope=None, place=None)
    else:  # (a name the question before could not place was said then: 北仑区柴桥街道)
        who, taken["who"] = replace(base, unknown_body=None, suggestions=()), _who_words(base)

    # when
    note = ""
    if year_before or step or than_year:
        year = base.years[-1] if len(base.years) == 1 else context.year
        if year is None or than_year and fu.years[0] == year:
            return _refused(W.FOLLOW_UP_NO_YEAR.format(example=example), question)
        other = fu.years[0] if than_year else year - 1
        when = replace(base, years=tuple(sorted((other, year))) if year_before or than_year else (year + step,),
                       recent=0, span=None)
        note = W.CARRIED_YEAR_BEFORE.format(year=year, before=other) if year_before or than_year else ""
    elif _when(fu) or by_year:
        when = fu
    else:
        when, taken["when"] = base, _when_words(base)

    # how
    bodies = who.bodies
    if year_before or than_year:
        operation, top, difference = "trend", None, True
    elif how_named:
        operation, difference = op, fu.difference
    elif _by_year(base) and not _when(fu) and not step or _over_bodies(base) and len(bodies) != 1 \
            and (base.operation != "compare" or len(bodies) >= 2):
        operation, top, difference = base.operation, base.top, base.difference
        by_year = _by_year(base)
        taken["how"] = _how_words(base, by_year)
    else:
        operation = "sum" if op == "sum" else "compare" if len(bodies) >= 2 else \
            "trend" if len(when.years) >= 2 else "value"
        top, difference = None, fu.difference
    merged = replace(fu, bodies=bodies, unknown_body=who.unknown_body, suggestions=who.suggestions, scope=who.scope,
                     place=who.place, years=when.years, recent=when.recent, span=when.span,
                     measure=measure, measures=measures, column=column, share=what.share,
                     share_whole=what.share_whole, share_of_row=what.share_of_row, each=what.each,
                     defaulted=what.defaulted, asks_count=what.asks_count, section=what.section,
                     operation=operation, top=top, difference=difference, topic=topic,
                     leftover="", leftover_words=(), negated="", negated_measures=(), follow_up=False, in_scope=True)
    merged = replace(merged, text=_written(merged, topic + _how_words(merged, by_year)))
    return FollowUp(merged.text, merged, _carried(taken, note))


def _text_asked_with(fu: Query, base: Query) -> FollowUp | None:
    """A text question that names no body (那有哪些改进措施呢): asked of the bodies and year before."""
    taken = {"who": "" if _who(fu) else _who_words(base), "when": "" if _when(fu) else _when_words(base)}
    if not any(taken.values()):
        return None
    return FollowUp(taken["who"] + taken["when"] + _stripped(fu.text), None, _carried(taken, ""))


def _text_asked_again(fu: Query, base: Query) -> FollowUp:
    """A text question asked again of other bodies or years (王家街道有哪些改进措施 → 那柴桥街道呢)."""
    taken = {"who": "" if _who(fu) else _who_words(base), "when": "" if _when(fu) else _when_words(base),
             "what": _stripped(base.topic)}
    who, when = _who_words(fu) or taken["who"], _when_words(fu) or taken["when"]
    return FollowUp(who + when + base.topic, None, _carried(taken, ""))


def _refused(message: str, question: str) -> FollowUp:
    return FollowUp(question, None, refusal=message)


def _no_column(question: str, base: Query, words: str, example: str) -> FollowUp:
    return _refused(W.FOLLOW_UP_NO_COLUMN.format(measure=_what_words(replace(base, column=None)), words=words,
                                                 example=example), question)


# --- the parts of a question ------------------------------------------------------------------------------------
def _who(q: Query) -> bool:
    return bool(q.bodies or q.unknown_body or q.scope or q.place)


def _when(q: Query) -> bool:
    return bool(q.years or q.recent or q.span)


def _what(q: Query) -> bool:
    return q.measure is not None or bool(q.measures)


def _by_year(q: Query) -> bool:
    """The question is answered year by year, or over its body's years (历年, 2019到2020年一共, 哪一年最多)."""
    return q.operation == "trend" or q.operation in ("max", "min") and bool(_BY_YEAR.search(q.text)) \
        or q.operation == "sum" and len(q.bodies) == 1 and (len(q.years) > 1 or q.span is not None)


def _over_bodies(q: Query) -> bool:
    return not _by_year(q) and (q.operation in _OVER_BODIES or q.operation == "sum")


def _year_step(text: str) -> int:
    """上一年呢, 那下一年的呢: the years to step from the question before's (the reader counts them from today)."""
    if re.search(r"\d{2,4}年|[〇○零一二三四五六七八九]{4}年", text):
        return 0
    found = _YEAR_STEP_WORDS.search(text)
    return _YEAR_STEP[found[1]] if found else 0


def _without_column(topic: str, table: str, column: str | None) -> str:
    """A question's words without those of the column it asked (法人收到多少申请 → 收到多少申请)."""
    for part in (column or "").split("+"):
        for word in sorted(words_for(table, column=part) if part else (), key=len, reverse=True):
            topic = topic.replace(word, "")
    return topic


# the words of a question that say how, over whom or when, not what (哪个街道, 最多, 历年, 去年): taken away from the
# words a follow-up keeps, as the merged query says them itself
_NOT_WHAT = re.compile(r"哪一?年|(?:哪个|哪一个|哪些|哪家|各|所有|全部|每个)(?:街道办事处|街道|乡镇|镇|乡|单位|机关|部门|局|片区|区|县)?"
                       r"|历年|变化|趋势|逐年|每年|各年|近几年|这几年|这两年|近(?:[两二三四五六七八九十]|\d+)年"
                       r"|最多|最少|最高|最低|最大|最小|排名|排序|排行|从多到少|由多到少|从高到低"
                       r"|倒数(?:前|第)?(?:[一二两三四五六七八九十]|\d+)?(?:名|个|位)?|第(?:[二两三四五六七八九十]|\d+)(?:多|少|名|高|低)"
                       r"|前(?:[一二两三四五六七八九十]|\d+)(?:名|个|位)?|一共|合计|总共|共计|加起来|加在一起|总和"
                       r"|对比|比较|相比|(?:比|和|跟|与|较)(?:去年|上一?年)比?|同比|以来|至今|以前|之前|以后|之后"
                       r"|(?:去年|前年|今年|大前年|上一年)(?!结转|度结转|遗留|转来|的?项目)")


def _what_only(topic: str) -> str:
    """A question's words without those saying how, over whom or when (哪个街道收到申请最多 → 收到申请)."""
    return _NOT_WHAT.sub("", topic).strip("的和与及、") or topic


def _stripped(text: str) -> str:
    """A question's words without the words that make it a follow-up (那, 呢, ？)."""
    return _CLOSER.sub("", _OPENER.sub("", text)).strip("的") or text


# --- saying what was taken --------------------------------------------------------------------------------------
def _carried(taken: dict[str, str], note: str) -> str:
    """按上一问：who、when、what、how taken (those the follow-up named are not), and a note (2020年与2019年相比)."""
    parts = "、".join(taken[part] for part in ("who", "when", "what", "how") if taken.get(part))
    if not parts:
        return W.CARRIED.format(parts=note) if note else ""
    return W.CARRIED.format(parts=parts + (f"，{note}" if note else ""))


def _who_words(q: Query) -> str:
    if q.bodies:
        return "和".join(q.bodies)
    if q.scope:
        return f"{q.place or ''}各{q.scope}"
    return f"{q.place}各单位" if q.place else ""


def _when_words(q: Query) -> str:
    if q.years:
        years = sorted(q.years)
        if len(years) >= 3 and years == list(range(years[0], years[-1] + 1)):
            return f"{years[0]}—{years[-1]}年"
        return "和".join(f"{y}年" for y in years)
    if q.recent:
        return f"近{q.recent}年"
    if q.span:
        first, last = q.span
        return f"{first}年以来" if first is not None else f"{last + 1}年以前"
    return ""


def _short(label: str) -> str:
    """A measure's template label as a question would say it: 一、本年新收政府信息公开申请数量 → 本年新收申请."""
    label = re.sub(r"(^|与)(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)", r"\1", label)
    return label.replace("本年度办理结果（七）总计", "办理结果总计").replace("政府信息公开申请数量", "申请")


def _what_words(q: Query) -> str:
    measures = q.measures or ((q.measure,) if q.measure is not None else ())
    if not measures:
        return _stripped(q.topic)
    names = "、".join(_short(m.label) for m in measures) + ("的占比" if q.share else "")
    if not q.column:
        return names
    label = column_keys(q, measures[0])[1].replace("（五类合计）", "")
    return W.CARRIED_COLUMN.format(column=label, measure=names) if measures[0].table == "三" else f"{names}（{label}）"


def _how_words(q: Query, by_year: bool) -> str:
    """The operation in words (最多, 哪一年最多, 排名, 相差多少), which the written-out question needs too: the
    service reads 哪一年 and 合计 from a question's text."""
    if q.difference:
        return W.CARRIED_HOW["difference"]
    if q.operation in ("max", "min") and by_year:
        return W.CARRIED_BY_YEAR.format(how=W.CARRIED_HOW[q.operation])
    if q.operation == "trend" and q.years:
        return ""  # the years said are the trend
    return W.CARRIED_HOW.get(q.operation, "").format(top=q.top or "")


def _written(q: Query, topic: str) -> str:
    """The question written out whole, for the text the service reads beside the query (王家街道2020年收到多少申请)."""
    who = "和".join(q.bodies + ((q.unknown_body,) if q.unknown_body else ()))
    if not who and (q.scope or q.place) and (q.scope or "各") not in topic:
        who = _who_words(q)
    return who + _when_words(q) + topic


def _example(body: str, years: tuple[int, ...]) -> str:
    return f"{body}{years[0]}年收到多少申请" if years else f"{body}收到多少申请"


def _example_of(base: Query | None, body: str) -> str:
    """The question before written out whole, as an example of a question that needs no other; else one of
    ``body``."""
    if base is not None and base.bodies:
        return _written(base, base.topic)
    return _example(body, base.years if base is not None else ())
