"""Question understanding that knows when it does not know.

A question is covered, span by span: body names (``index.gazetteer``), years, the words of operations and scope
(最多, 各街道, 历年), the words of a text question (问题, 措施, 公众号), and the lexicon (``index.lexicon``): rows,
columns, and words with no meaning of their own. What no span covers is *left over*; a word left over means the
question asks for something the reader did not understand, so no table cell may answer it (``Query.leftover``):
the answer then comes from a sentence of the report's text, or says the tables have no such row.

Measures are read from the covered words: a row's words give its measure (a group with one of its own rows gives
the row: 不予公开…国家秘密); several rows joined by 和/及/与/、 are asked together (each, and the sum); 申请 alone is
本年新收. A column word (自然人, 维持, 废止) needs a measure of its own table.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .gazetteer import Gazetteer, common_word
from .lexicon import CHAR_FILLERS, COUNT_WORDS, Sense, segment, senses
from .model import Measure, Query

__all__ = ["parse_question", "normalize_question", "truncated", "asks_total", "follow_up_columns", "with_t2_column",
           "asks_about_text", "operation_named", "MAX_QUESTION_CHARS"]

MAX_QUESTION_CHARS = 300

_CN = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DOMAIN = re.compile(r"政府|信息|公开|申请|报告|年报|街道|乡|镇|局|委|办|县|区|市|复议|诉讼|采购|收费|处罚|许可|强制|公众号|"
                     r"微博|网站|渠道|措施|问题|不足|改进|工作|机制|领导|培训|制度|电话|联系|平台|规章|文件|依申请|主动")


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


_NOT_WORDS = {"Cf", "Co", "Cs", "Cn"}  # format (zero-width joiners), private-use, surrogate, unassigned


def normalize_question(text: str) -> str:
    """NFKC, Traditional to Simplified, no emoji, no white space. Of a text longer than MAX_QUESTION_CHARS only
    the question it asks is read (``_questions_at_end``)."""
    text = _cleaned(text)
    if len(text) > MAX_QUESTION_CHARS:
        text = _questions_at_end(text)
    text = _without_context(text)
    if re.search(r"[\u4e00-\u9fff]", text):
        text = _t2s().convert(text)
    return re.sub(r"\s+", "", text)


def _questions_at_end(text: str) -> str:
    """Of a long text, the question it asks: the last sentence that reads as one (？, 多少, 几, 吗, 哪 …; a
    sentence also starts at 请问) with the questions just before it that fit in MAX_QUESTION_CHARS; where no
    sentence reads as a question, the text's start."""
    text = _ASK_OPENER.sub(lambda m: "\n" + m[0], text.strip())
    sentences = [x for x in re.findall(r"[^。！？!?；;\n]*[。！？!?；;\n]*", text) if x.strip()]
    asking = [i for i, x in enumerate(sentences) if _ASKS.search(x)]
    if not asking:
        return text[:MAX_QUESTION_CHARS]
    last = asking[-1]
    kept = sentences[last]
    for i in range(last - 1, -1, -1):
        if i not in asking or len(sentences[i] + kept) > MAX_QUESTION_CHARS:
            break
        kept = sentences[i] + kept
    return kept[-MAX_QUESTION_CHARS:]


_ASK_OPENER = re.compile(r"请问|想问一下|想问|问一下|我想知道|我想了解")
_ASKS = re.compile(r"[？?]|多少|几[件个项条次年]?|吗|哪|什么|是否|有没有|怎么|如何|为什么")


def _without_context(text: str) -> str:
    """A question with a statement before it (报告说2025年全区共收到申请154件。那平潭2024年收到多少申请？): the
    statement's years and numbers are not the question's, when the question gives its own year."""
    clauses = [c for c in re.findall(r"[^。！？!?；;，,\n]*[。！？!?；;，,\n]*", text) if c.strip()]
    asking = [c for c in clauses if _ASKS.search(c)]
    if not asking or len(asking) == len(clauses) or not any(_YEAR_IN.search(c) for c in asking):
        return text
    return "".join(c for c in clauses if c in asking or not (_YEAR_IN.search(c) or re.search(r"\d", c)))


_YEAR_IN = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)|[〇○零一二三四五六七八九]{4}年|今年|去年|前年")


def truncated(text: str) -> bool:
    """Whether normalize_question reads only the end of ``text``."""
    return len(_cleaned(text)) > MAX_QUESTION_CHARS


def _cleaned(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if not _emoji(ch))
    return re.sub(r"([^\w\s])\1{2,}", r"\1", text)  # 。。。。 and ！！！ as one mark


def _emoji(ch: str) -> bool:
    """Emoji, their modifiers and joiners, and format or unassigned characters: nothing a question says. Other
    symbols stay (○ is the zero of 二○二○年)."""
    code = ord(ch)
    return (0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF or 0x2B00 <= code <= 0x2BFF
            or 0xFE00 <= code <= 0xFE0F or 0xE0000 <= code <= 0xE007F or unicodedata.category(ch) in _NOT_WORDS)


_YEAR_RANGE = re.compile(r"(?<!\d)((?:19|20)\d{2})年?度?\s*(?:到|至|-|—|－|~|～)\s*((?:19|20)\d{2})年?(?!\d)")


_YEAR_SPAN = re.compile(r"(?<!\d)((?:19|20)\d{2})年?度?(以来|起|至今|以后|之后|以前|之前)")


def _span(text: str) -> tuple[int | None, int | None] | None:
    """The years an open range asks about: 2019年以来 (2019 on), 2021年之后 (after 2021), 2023年以前 (before
    2023), as (first, last) with None for an open end; None when the question gives no such range."""
    if not (m := _YEAR_SPAN.search(text)):
        return None
    year = int(m[1])
    if m[2] in ("以来", "起", "至今"):
        return year, None
    return (year + 1, None) if m[2] in ("以后", "之后") else (None, year - 1)


def _years(text: str) -> tuple[int, ...]:
    years: list[int] = []
    for m in _YEAR_RANGE.finditer(text):  # 2020年到2023年: every year from the first to the last
        first, last = int(m[1]), int(m[2])
        if first < last <= first + 30:
            years.extend(range(first, last + 1))
    for m in re.finditer(r"([〇○零一二三四五六七八九]{4})年", text):
        years.append(int("".join(str(_CN[c]) for c in m[1])))
    for m in re.finditer(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text):
        if not re.search(r"(?:结转|转|挪|拖|留)(?:到|至|入)$", text[:m.start()]):  # 结转到2025年: not a report's year
            years.append(int(m[1]))
    for m in re.finditer(r"(?<![\d〇○零一二三四五六七八九])(\d{2})年(?!度报告)", text):
        if int(m[1]) >= 10:
            years.append(2000 + int(m[1]))
    return tuple(dict.fromkeys(y for y in years if 1990 <= y <= 2099))


_RELATIVE = (("前年", 2), ("大前年", 3), ("去年", 1), ("上一年", 1), ("上年", 1), ("今年", 0))


def _relative_years(text: str, terms) -> tuple[int, ...]:
    """去年, 前年, 今年 as years, counted from today (a table-二 question's 上一年 is its column, not a year; 比去年
    is a comparison, read elsewhere)."""
    import datetime

    if any(t.sense("t2row") for t in terms) or _LAST_YEAR.search(text):
        return ()
    for word, back in sorted(_RELATIVE, key=lambda w: -len(w[0])):
        if re.search(word + r"(?!结转|度结转|遗留|转来)", text):
            return (datetime.date.today().year - back,)
    return ()


def _ordinal(word: str) -> int:
    return _CN.get(word) or (10 if word == "十" else int(word))


_NUM = r"[一二两三四五六七八九十]|\d+"


def _operation(text: str, n_bodies: int, n_years: int) -> tuple[str, int | None]:
    if m := re.search(rf"倒数前({_NUM})|最少的前({_NUM})", text):
        return "rank_min", _ordinal(m[1] or m[2])  # the bottom N, fewest first
    if m := re.search(rf"前({_NUM})(名|个|位)?", text):
        return "rank", _ordinal(m[1])
    if re.search(r"排名|排序|排行|名次|从多到少|由多到少|从高到低|排一下|排个序", text):
        return "rank", None
    if re.search(r"倒数第一|倒数第1|排在最后|最后一名|垫底", text):
        return "min", None
    if m := re.search(rf"倒数第({_NUM})|第([二两三四五六七八九十]|\d+)(?:少|低|小)", text):
        return "nth_min", _ordinal(m[1] or m[2])  # 倒数第二, 第三少: counted from the bottom
    if m := re.search(r"第([二两三四五六七八九十]|\d+)(?:多|名|高|大)", text):  # 第二多: the second of a ranking
        return "nth", _ordinal(m[1])
    if re.search(r"最多|最高|最大|哪个.{0,12}多|谁.{0,6}多|哪家.{0,12}多", text):
        return "max", None
    if re.search(r"最少|最低|最小|哪个.{0,12}少|谁.{0,6}少|哪家.{0,12}少", text):
        return "min", None
    if (n_bodies >= 2 or n_years >= 2) and _SUM_WORDS.search(text) and not re.search(r"分别|各自|变化|趋势", text):
        return "sum", None  # 东柳和桥头胡加起来, 2023年和2024年两年一共: a total over the bodies or years named
    if n_years >= 2 or _RECENT.search(text) or _LAST_YEAR.search(text) \
            or re.search(r"历年|变化|趋势|逐年|每年|各年|近几年|这几年|这两年", text):
        return "trend", None
    if n_bodies >= 2 or re.search(r"对比|比较|相比|比.{1,12}(多|少)", text):
        return "compare", None
    if n_bodies == 0 and (_SUM_WORDS.search(text) or re.search(r"各街道|各镇|各乡|所有|全部|各单位|各机关|各部门|各局|各片区|"
                                                                r"各区|各县|每个", text)):
        return "sum", None
    return "value", None


_SUM_WORDS = re.compile(r"一共|合计|总共|共计|加起来|加在一起|加一起|合起来|总和")


def _section(text: str) -> str | None:
    if re.search(r"改进|措施|整改|怎样改|如何改|下一步|打算|计划|准备", text):
        return "measures"
    if re.search(r"问题|不足|短板|差距|困难", text):
        return "problems"
    if re.search(r"公众号|微博|新媒体|渠道|平台|网站|抖音|视频号|载体", text):
        return "channels"
    if re.search(r"电话|联系|地址|邮编|传真", text):
        return "contact"
    if re.search(r"收费|处理费|费用", text):
        return "fees"
    return None


# the kind of body a question is about when it names none (全部街道, 各镇, 收到最多的乡); not 乡镇, 城乡, 城镇
_SCOPE = re.compile(r"(?P<scope>(?<!城)乡镇|街道|(?<![乡城村])镇(?![乡街])|(?<![城])乡(?![镇村]))")
# a kind of body asked over, with a word that asks over bodies (哪个片区, 各县, 所有区, 哪个局)
_KIND_ASKED = re.compile(r"(?:各|哪个|哪一个|哪些|哪家|所有|全部|每个|[一二两三四五六七八九十\d]+个)(?P<scope>片区|县|区|局)")
_SCOPE_NAMED = re.compile(r"(?:各|哪个|哪些|所有|全部|每个)(?P<scope>乡镇|街道|镇(?![乡街])|乡(?![镇村]))")  # text
_RECENT = re.compile(r"近([两二三四五六七八九十]|\d+)年")
_LAST_YEAR = re.compile(r"(?:比|较|与|和|跟)(?:去年|上一?年)(?!度?结转|遗留|转来|的)(?:相比|比)?|同比")
_DIFFERENCE = re.compile(r"多多少|多了多少|少多少|少了多少|多[几收]|少[几收]|多了几|少了几|增长|增加|减少|下降|差多少|相差|差距|同比|比去年|比上一?年"
                         r"|比[^，。？?]{1,20}?[多少][^，。？?]{0,4}?(?:几|多少)")  # 自然人比商业企业多申请了几件
_YEAR_WORDS = re.compile(r"(?:[〇○零一二三四五六七八九]{4}|(?:19|20)?\d{2})年度?")

# Words of operations, scope, time and numbering: understood, though no lexicon row is theirs. One pattern per
# kind of word, so the segmentation (``index.lexicon.segment``) may take the longest that fits at any place.
# a share is asked (予以公开的比例, 自然人申请占比多少): read from the cells, with what it is a share of said
_SHARE = re.compile(r"占(?:了|到)?(?:全部|所有|总)?的?(?:本年度)?(?:办理结果|办结的?申请|办结)"
                    r"(?:总计|合计|总数)?的?(?:比例|比重|百分比|百分之几|百分之多少|几成)"  # 占全部办理结果的比例: the whole
                    r"|所占的?(?:比例|比重|百分比)|(?:的|所)?(?:比例|占比|比重|百分比)|占(?:了|到)?(?:百分之几|百分之多少|多少比例|几成)"
                    r"|占(?:了|到)?多少(?=[？?。！!]*$)"  # 需要另行制作的申请占多少: the share (its count said too)
                    r"|百分之几|百分之多少|几成|(?<=公开)率|(?<=纠错|纠正)率")
_UNDERSTOOD = tuple(re.compile(p) for p in (
    _SHARE.pattern,
    r"(?:[〇○零一二三四五六七八九]{4}|(?:19|20)?\d{2})年度?",
    r"(?<!\d)(?:19|20)\d{2}(?!\d)",
    rf"(?:倒数前|最少的前|前)(?:{_NUM})(?:名|个|位)?(?:单位|机关|部门|街道|镇|乡|局|片区管理局|片区|区|县)?",
    r"排名|排序|排行|名次|从多到少|由多到少|从高到低|排一下|排个序|排个名|排在最后|最后一名|垫底",
    rf"倒数第(?:{_NUM})(?:名|位|个)?|第(?:{_NUM})(?:多|少|名|高|低|大|小)",
    r"最多|最高|最大|最少|最低|最小|更多|更少|更高|更低",
    r"(?:没有|没)(?=[？?。]*$)",  # 废止过规范性文件没有？: a yes-or-no question, not a negation
    r"(?:有没有|是不是|没有|没)(?=[^，。？?]*[吗么][？?。]*$)",  # 没有收到申请吗: yes or no, the count answers it
    r"(?:哪个|哪家|哪一个|哪些|各|所有|全部|每个|(?<![上下前后第这那去今明本])[一二两三四五六七八九十\d]+个)"
    r"(?:单位|机关|部门|街道办事处|街道办|街道|镇|乡|局|片区管理局|片区|区|县|委)?",
    r"谁",
    r"历年|变化|趋势|逐年|每年|各年|近几年|这几年|这两年|近(?:[两二三四五六七八九十]|\d+)年",
    r"(?:比|较|与|和|跟)(?:去年|上一?年)(?!度?结转|遗留|转来|的)(?:相比|比)?|对比|比较|相比|相较|比|较|同比",
    r"最近一年|最新一年|最近一期|最近|最新|目前|现在",
    r"以来|至今|以后|之后|以前|之前",  # 2019年以来: an open range of years (``_span``)
    r"多多少|多了多少|少多少|少了多少|差多少|相差|增长|下降",
    r"(?:增加|减少|增长|下降)了?(?:多少|几)(?:件|个|项)?",  # 比2022年增加了多少: a difference of two readings
    r"(?<![上下前后第这那去今明本])[一二两三四五六七八九十\d]+(?:个|家|项|年)(?=[\u4e00-\u9fff，,、。？?]|$)",
    r"(?<!城)乡镇|街道办事处|街道办|办事处|街道|镇|乡|片区管理局|片区|单位|部门|哪一年|哪年|哪一个|哪家单位",
    r"[（(][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}[、.]|\d{1,2}[.、]",
))
# The words that ask about text (怎么, 哪些, 是否): understood. The topics of text (措施, 公众号, 处理费) are not
# words of any table: they stay left over, so no cell answers a question about them.
_TEXT_WORDS = re.compile(r"怎么|怎样|如何|什么|哪些|为什么|是否|有没有|哪几方面|哪几")
_NARRATIVE = re.compile(r"哪些|什么|怎么|怎样|如何|为什么|为何|介绍|说明|描述|简述|概述|内容|做法|举措|经验|亮点|成效")
_CONNECTORS = re.compile(r"^[和与及跟同、,，;；+]|以及|还有|加上|^加$|分别")
_LATIN = re.compile(r"[A-Za-z]{3,}")


@dataclass(frozen=True)
class _Term:
    start: int
    end: int
    word: str
    senses: tuple[Sense, ...]

    def sense(self, kind: str) -> Sense | None:
        return next((s for s in self.senses if s.kind == kind), None)

    def all(self, kind: str) -> list[Sense]:
        return [s for s in self.senses if s.kind == kind]


def _mask(text: str, matches: list[tuple[int, int, str]]) -> str:
    """Body names blanked out, character for character (offsets stay those of ``text``)."""
    for start, end, _ in reversed(matches):
        text = text[:start] + "＊" * (end - start) + text[end:]
    return text


def _covered(text: str) -> tuple[list[_Term], list[bool]]:
    """The lexicon words of ``text`` and which characters are accounted for: names, punctuation, and the best
    segmentation into lexicon words, understood words (years, operations, scope) and text-question words."""
    taken = [c in "＊?？!！。，,、；;：:“”\"'（）()《》〈〉·…—-" for c in text]
    pieces = segment(text, taken, (*_UNDERSTOOD, _TEXT_WORDS))
    return [_Term(s, e, w, senses(w)) for s, e, w in pieces if w is not None], taken


def _joined(text: str, first: _Term, second: _Term, terms: list[_Term]) -> bool:
    """Two measures asked together: a connector and fillers only stand between them (复议和诉讼, 予以公开及部分公开),
    or two groups of table 四 are written side by side (行政复议行政诉讼)."""
    between = [t for t in terms if first.end <= t.start and t.end <= second.start]
    gap = text[first.end:second.start]
    if any(t.sense("filler") is None and t.sense("head") is None for t in between):
        return False  # (the object 申请 may stand between: 收到的申请和上年结转的)
    if _CONNECTORS.search(gap) or re.search(r"[和与及跟、]|以及|还有|加上|加(?![强快大])", gap):
        return True
    if re.search(r"比", gap) and _DIFFERENCE.search(text):  # 维持比纠正多几件: the two, for their difference
        return True
    both = [t.sense("row") for t in (first, second)]
    return not gap.strip("的") and all(s is not None and s.table == "四" for s in both)


def _connected(text: str, a: _Term, b: _Term) -> bool:
    """An explicit connector (和, 及, 与, 、, 以及) between two words."""
    first, second = sorted((a, b), key=lambda t: t.start)
    gap = text[first.end:second.start]
    return bool(re.search(r"[和与及跟、]|以及|还有|加上", gap) or "比" in gap and _DIFFERENCE.search(text))


def _t2_has(row_key: str, column: str) -> bool:
    by_row = {
        "procurement": {"items", "amount"},
        "fees": {"previous_items", "change", "fee_amount"},
        "regulations": {"made", "published", "total_public", "issued", "repealed", "in_force"},
        "normative_documents": {"made", "published", "total_public", "issued", "repealed", "in_force"},
    }
    return column in by_row.get(row_key, {"previous_items", "change", "decisions"})


_T2_DEFAULT = {"procurement": "items", "fees": "fee_amount", "regulations": "in_force", "normative_documents": "in_force"}
_T2_COLUMN_LABELS = {"amount": "采购总金额", "fee_amount": "本年收费金额", "previous_items": "上一年项目数量",
                     "change": "本年增/减", "made": "本年新制作数量", "published": "本年新公开数量",
                     "total_public": "对外公开总数量", "issued": "本年制发件数", "repealed": "本年废止件数",
                     "in_force": "现行有效件数", "decisions": "处理决定数量", "items": "采购项目数量"}


def _t2_unit(column: str) -> str | None:
    """Money columns take the unit the report states; counts are 件, procurement items 个."""
    return None if column in ("amount", "fee_amount") else ("个" if column == "items" else "件")


@dataclass
class _Reading:
    measures: list[Measure]
    column: str | None  # a table-三 applicant column
    unexplained: list[_Term]
    defaulted: bool = False


def _measures(text: str, terms: list[_Term], stated_change: bool) -> _Reading:
    """The measures the covered words ask for, and the words that fit none of them."""
    rows = [t for t in terms if t.sense("row")]
    t2rows = [t for t in terms if t.sense("t2row")]
    columns = [t for t in terms if t.sense("column")]
    t2columns = [t for t in terms if t.sense("t2column")]
    heads = [t for t in terms if t.sense("head")]
    unexplained: list[_Term] = []
    # a verb of a row (收到, 答复, 处理了) is that row only when nothing else is asked: 以…答复的, 行政许可处理了多少
    if any(not t.sense("row").verb for t in rows) or t2rows:
        others = [t for t in rows if not t.sense("row").verb] + t2rows
        rows = [t for t in rows if not t.sense("row").verb or any(_connected(text, t, o) for o in others)]
    # a group with one of its own rows is that row (不予公开…国家秘密; 行政诉讼…直接起诉)
    rows = [t for t in rows if not any(o is not t and set(o.sense("row").rows) < set(t.sense("row").rows)
                                       for o in rows)]
    rows = list({t.sense("row").key: t for t in rows}.values())
    # 收到的申请中予以公开多少: what was received is the context of an outcome, not a second measure
    if len(rows) > 1:
        context = [t for t in rows if t.sense("row").key == "new_received"]
        others = [t for t in rows if t.sense("row").key != "new_received"]
        rows = [t for t in rows if t not in context or any(_joined(text, t, o, terms) or _joined(text, o, t, terms)
                                                           for o in others)]
    measures: list[Measure] = []
    chosen: list[_Term] = []
    for t in rows:
        sense = t.sense("row")
        if chosen and not _joined(text, chosen[-1], t, terms):
            unexplained.append(t)  # two rows not asked together: which one is meant is not clear
            continue
        chosen.append(t)
        measures.append(Measure(sense.table, sense.rows, None, sense.label, "件",
                                ((("other.overdue_correction", "other.unpaid_fees", "other.other"),)
                                 if sense.key == "other" else ())))
    used_columns: set[int] = set()
    for t in t2rows:
        row = t.sense("t2row")
        named_columns = sorted(t2columns, key=lambda c: c.word.startswith("主动公开"))  # the table's own title last
        wanted = [sense.key for c in named_columns for sense in c.all("t2column") if _t2_has(row.key, sense.key)]
        key = "change" if stated_change and "change" in wanted else next(iter(wanted), None)
        if stated_change and _t2_has(row.key, "change") and key is None:
            key = "change"
        named = key is not None
        key = key or _T2_DEFAULT.get(row.key, "decisions")
        used_columns |= {id(c) for c in t2columns if any(sense.key == key for sense in c.all("t2column"))
                         or c.sense("t2row") is not None or c.word.startswith("主动公开")
                         or key in ("change", "previous_items") and "项目" in c.word}  # 项目比上一年多了多少
        label = f"{row.label}（{_T2_COLUMN_LABELS[key]}）" if named or stated_change else row.label
        if measures and not _joined(text, (chosen or t2rows)[-1], t, terms) and measures[-1].table != "二":
            unexplained.append(t)
            continue
        measures.append(Measure("二", (row.key,), key, label, _t2_unit(key)))
        chosen.append(t)
    unexplained += [c for c in t2columns if id(c) not in used_columns and c.sense("filler") is None
                    and not any(c is t for t in chosen)]  # 处理了: read as its row, not also as a column
    # 公开了多少件申请, 公开的申请: of requests, 公开 is the outcome 予以公开 (of documents it is table 二's column)
    published = [c for c in unexplained if c.word == "公开"]
    if published and heads and not measures:
        unexplained = [c for c in unexplained if c not in published]
        measures.append(Measure("三", ("disclosed",), None, "（一）予以公开", "件"))
    tables = {m.table for m in measures}
    defaulted = False
    if heads and not measures and not (unexplained or columns and not any(c.sense("column").table == "三"
                                                                          for c in columns)):
        head = heads[0].sense("head")
        measures.append(Measure("三", (head.key,), None, head.label, "件"))
        tables, defaulted = {"三"}, True
    column = None
    last: _Term | None = None
    for c in columns:
        sense = c.sense("column")
        if sense.table not in tables:
            unexplained.append(c)
        elif column is None:
            column, last = sense.key, c
        elif last is not None and sense.table == last.sense("column").table and _joined(text, last, c, terms):
            column, last = f"{column}+{sense.key}", c  # 商业企业和法律服务机构, 纠正和其他结果: the columns summed
        elif sense.key not in column.split("+"):
            unexplained.append(c)  # a second column not asked with the first: which one is meant is not clear
    return _Reading(measures, column, unexplained, defaulted)


def _combined(measures: list[Measure]) -> Measure | None:
    """Measures of one table and one column read as one (their rows summed); None when they cannot be."""
    if len(measures) == 1:
        return measures[0]
    if len({m.table for m in measures}) == 1 and len({m.column for m in measures}) == 1:
        rows = tuple(dict.fromkeys(r for m in measures for r in m.rows))
        label = "与".join(m.label for m in measures) + f"（{len(measures)}项合计）"
        # each part as either format writes it (其他处理: one row, or its three): every combination
        options = [((m.rows,) + m.alternatives) for m in measures]
        alternatives = tuple(tuple(dict.fromkeys(r for part in combo for r in part))
                             for combo in itertools.product(*options))[1:]
        return Measure(measures[0].table, rows, measures[0].column, label, measures[0].unit, alternatives)
    return None


def _runs(text: str, taken: list[bool], unexplained: list[_Term]) -> list[tuple[int, int]]:
    """The runs of words no span accounts for: characters uncovered (fillers aside) and lexicon words that fit no
    measure, as (start, end)."""
    open_ = list(taken)
    for t in unexplained:
        for i in range(t.start, t.end):
            open_[i] = False
    runs = re.finditer(r"[^\s]+", "".join(c if not open_[i] else " " for i, c in enumerate(text)))
    return [(r.start(), r.end()) for r in runs if not all(ch in CHAR_FILLERS for ch in r[0])]


_SUFFIX = re.compile(r"(?:街道办事处|街道办|街道|办事处|人民政府|政府|管理局|管委会|委员会|办公室|办公厅|片区|局|委|办|镇|乡|县|区|市|"
                     r"中心|厅|署)(?!信息|采购|网站|公开|门户|规章|集中|工作|部门)")


def _name_like(text: str, start: int, end: int, matches: list[tuple[int, int, str]],
               fillers: set[int] = frozenset(), places: list[tuple[int, int, bool]] = ()) -> tuple[int, int] | None:
    """The span of a body name around a run of unexplained words, when the run reads as one: it ends with a body's
    suffix or one follows it (朝阳门|街道, 教育|局), or it is written against a matched name (柴桥|街到); else None.
    Filler characters just before the run belong to the name (八|里|庄街道)."""
    while start > 0 and start - 1 in fillers and re.match(r"[\u4e00-\u9fff]", text[start - 1]) \
            and text[start - 1] not in "和与及跟同或、":
        start -= 1
    after = _SUFFIX.match(text, end)
    if after and len(after[0]) == 1 and common_word(text[end:end + 2]):
        after = None  # 需要|办理: the character opens a word, it ends no name
    own = re.search(_SUFFIX.pattern + "$", text[start:end])
    touching = any(e == start or s == end for s, e, _ in matches)
    if (after or own) and any(e == start for s, e, _ in matches) and not any(e == start and gazetteer_place
                                                                              for s, e, gazetteer_place in places):
        return None  # 王家街道|党政办: an office of the body named, not another body
    if not (after or own or touching) or (end - start < 2 and not touching) \
            or (own and end - start - len(own[0]) < 2 and not touching):
        return None  # 政府 alone, 社区: not a name
    first = min([start] + [s for s, e, _ in matches if e == start])
    return first, after.end() if after else end


def _abbreviation(text: str, start: int, span: tuple[int, int] | None,
                  gazetteer: Gazetteer) -> tuple[int, int, str] | None:
    """A held name with characters left out, read from the run's start to the name's span end or to the first
    kind of body after it (莆田民族宗教局 up to 局, though 宗 alone is a word of its own)."""
    tries = {(span[0], span[1])} if span else set()
    for begin in {start, span[0] if span else start}:
        if window := _KIND_END.match(text, begin):
            tries.add((begin, window.end()))
    for begin, end in sorted(tries, key=lambda t: t[0] - t[1]):  # the longest first
        if body := gazetteer.abbreviated(text[begin:end]):
            return begin, end, body
    return None


_KIND_END = re.compile(r"[\u4e00-\u9fff]{1,12}?(?:委员会|办公室|局|委|办|厅|中心)")


def _widens(found: tuple[int, int, str], matches) -> bool:
    """A slip read as a held name: of another body than those read, or of one read by a shorter part of the name
    only (平潭|综和实验区 read as 平潭 first)."""
    same = [m for m in matches if m[2] == found[2]]
    return not same or any(found[0] <= m[0] and m[1] <= found[1] and found[1] - found[0] > m[1] - m[0] for m in same)


def _place_of_next(text: str, start: int, end: int, matches, gazetteer: Gazetteer):
    """A run of words that is the place of the body named right after it (渝北区|王家街道): the widened match, and
    the match it replaces; else None."""
    place = _SUFFIX.match(text, end) if text[end:end + 1] in "区县市" else None
    stop = place.end() if place else end
    following = next((m for m in matches if m[0] == stop), None)
    if following is None:
        return None
    written = text[start:stop]
    stems = gazetteer.places.get(following[2], set())
    if re.sub(r"[省市县区]$", "", written) in stems:
        return (start, following[1], following[2]), following
    return None


def _leftover(text: str, runs: list[tuple[int, int]]) -> str:
    fillers = "".join(CHAR_FILLERS)
    return "".join(text[a:b].strip(fillers) or text[a:b] for a, b in runs)


def parse_question(question: str, gazetteer: Gazetteer) -> Query:
    text = normalize_question(question)
    matches, others = gazetteer.match_detail(text)
    unknown = others[0] if others else None
    fuzzy: list[str] = []
    if unknown and (start := text.find(unknown)) >= 0:  # another place's body, or a held one written with a slip
        repaired = [m for m in gazetteer.match_fuzzy(text, within=(start, start + len(unknown)))
                    if m[0] <= start and start + len(unknown) <= m[1]]
        if repaired:
            matches = [m for m in matches if not (m[0] < repaired[0][1] and repaired[0][0] < m[1])] + repaired[:1]
            fuzzy.append(repaired[0][2])
            unknown = None
    masked = _mask(text, matches)
    if unknown and (start := text.find(unknown)) >= 0:
        masked = masked[:start] + "＊" * len(unknown) + masked[start + len(unknown):]
    terms, taken = _covered(masked)
    reading = _measures(masked, terms, False)
    runs = _runs(masked, taken, reading.unexplained)
    seen: set[tuple[int, int]] = set()
    while (pending := [r for r in runs if r not in seen]):  # unexplained words: a slip of a held name, another
        start, end = pending[0]                               # body's name, or not a name at all
        seen.add((start, end))
        if (before := _place_of_next(text, start, end, matches, gazetteer)) is not None:
            matches = [m for m in matches if m is not before[1]] + [before[0]]  # 渝北区|王家街道: the body's place
            masked = _mask(text, matches)
            terms, taken = _covered(masked)
            reading = _measures(masked, terms, False)
            runs = _runs(masked, taken, reading.unexplained)
            continue
        span = _name_like(text, start, end, matches, {i for t in terms if t.sense("filler") for i in range(t.start, t.end)}
                          | {i for r in runs for i in range(*r)},
                          [(s, e, text[s:e] in gazetteer.place_forms.get(b, ())) for s, e, b in matches])
        if span and text[span[0]:span[1]] in gazetteer.place_prefix and _SCOPE_ASKED.search(text):
            continue  # 莆田市哪个局: a place whose bodies are asked about, not a body
        repaired = [m for m in gazetteer.match_fuzzy(text, within=span or (start, end))
                    if m[2] not in fuzzy and _widens(m, matches)]
        abbreviation = _abbreviation(text, start, span, gazetteer)
        if abbreviation and not (repaired and repaired[0][1] - repaired[0][0] > abbreviation[1] - abbreviation[0]):
            repaired = [abbreviation]  # 平潭资源生态局: characters left out of a held name; a slip that reads
            # more of the question (上海市人民政府办工厅) wins over a shorter abbreviation (上海市人民政府办)
        if span is None and not repaired:
            continue
        if not repaired and not _SUFFIX.match(text, end) and not re.search(_SUFFIX.pattern + "$", text[start:end]):
            continue  # words written against a name (王家街道|微信公众号) are not a name of their own
        if unknown and any(text.find(unknown) <= a < text.find(unknown) + len(unknown) for a, _, _ in repaired):
            repaired = []  # inside the other place's name already found (南京市人民政府办公厅)
        if repaired:
            matches = [m for m in matches if not (m[0] < repaired[0][1] and repaired[0][0] < m[1])] + repaired[:1]
            fuzzy.append(repaired[0][2])
        elif unknown is None and not _SCOPE_WORDS.search(text[span[0]:span[1]]):
            unknown = text[span[0]:span[1]]
            matches = [m for m in matches if not (span[0] <= m[0] and m[1] <= span[1])]
        else:
            continue
        masked = _mask(text, matches)
        if unknown:
            masked = masked[:span[0]] + "＊" * (span[1] - span[0]) + masked[span[1]:]
        terms, taken = _covered(masked)
        reading = _measures(masked, terms, False)
        runs = _runs(masked, taken, reading.unexplained)
    matches, place = _places_asked(text, matches, gazetteer)
    if place is None and not matches and (prefix := _place_named(text, gazetteer)):
        place = prefix  # 莆田各单位, 莆田市哪个局: the bodies of a place no body is named for
    if place:
        forms = gazetteer.place_forms.get(place) or {f for f, p in gazetteer.place_prefix.items() if p == place}
        masked = _mask(text, [m for m in matches] + [(s, e, "") for s, e in _spans(text, forms)])
        terms, taken = _covered(masked)
        reading = _measures(masked, terms, False)
        runs = _runs(masked, taken, reading.unexplained)
    matches.sort()
    bodies = tuple(dict.fromkeys(body for _, _, body in matches))
    suggestions = tuple(body for _, _, body in gazetteer.match_fuzzy(unknown, min_len=3, sound=False)) if unknown else ()
    stripped = masked  # body names must not be read as measures (e.g. 采购 in a name)
    years = _years(stripped) or _relative_years(stripped, terms)
    last_year = bool(_LAST_YEAR.search(stripped))
    without_last_year = _LAST_YEAR.sub("", stripped)
    stated_change = any(t.sense("t2row") for t in terms) and bool(re.search(r"增减|增/减|增加|减少|比上年|比去年|同比",
                                                                           stripped))
    if stated_change:
        reading = _measures(stripped, terms, True)
        runs = _runs(stripped, taken, reading.unexplained)
    leftover = _leftover(stripped, runs)
    measure = _combined(reading.measures) if reading.measures else None  # None: several tables, each answered
    difference = not stated_change and bool(_DIFFERENCE.search(stripped))
    each = bool(_EACH.search(stripped)) and not asks_total(stripped) or not _summable(reading.measures) \
        or difference and len(reading.measures) == 2  # A比B多几件: the two, and their difference
    if measure is not None and len(reading.measures) > 1 and each:
        measure = None  # 收到的和予以公开的分别多少: each number, no sum (新收 + 予以公开 adds up to nothing)
    stated_change = measure is not None and measure.table == "二" and measure.column == "change"
    if stated_change and len(years) == 2 and abs(years[0] - years[1]) == 1:  # 2019年比2018年增加了多少
        years = (max(years),)
    if len(years) == 1 and last_year and not stated_change:  # 2020年比去年多多少: 2019 and 2020
        years = (years[0] - 1, years[0])
    share = bool(_SHARE.search(stripped))
    share_whole, share_of_row = _share_whole(stripped, terms) if share else (None, False)
    if share and reading.defaulted and re.search(r"占[^，。？]{0,6}(?:办理结果|办结)", stripped):
        reading.measures, measure = [_RESULTS], _RESULTS  # 自然人申请占全部办理结果的比例: the results total's column
    operation, top = _operation(_SHARE.sub("", without_last_year if stated_change else stripped), len(bodies),
                                len(years))
    scope = None
    if not bodies and (m := (_SCOPE if measure or reading.measures else _SCOPE_NAMED).search(stripped)
                       or _KIND_ASKED.search(stripped)):
        scope = m["scope"]
    asks_count = bool(COUNT_WORDS.search(stripped))
    narrative = bool(_NARRATIVE.search(stripped))
    section = _section(stripped)
    if (narrative and not asks_count) or (section and not asks_count and measure is None):
        measure, reading.measures = None, []  # 依申请公开办理流程有哪些改进: a text question
    english = bool(_LATIN.search(text)) and len(re.findall(r"[\u4e00-\u9fff]", text)) < 4
    in_scope = bool(bodies or unknown or measure or reading.measures or _DOMAIN.search(stripped))
    topic = _YEAR_WORDS.sub("", stripped).replace("＊", "")
    negated = ""
    after = [t for t in terms if runs and t.start >= runs[0][0] and (t.sense("row") or t.sense("t2row")
                                                                      or t.sense("t2column") or t.sense("column"))]
    if leftover and reading.measures and set(leftover) <= _NEGATION_CHARS and set(leftover) & set("没未不非除") \
            and after and not re.search(r"[吗么][？?。]*$", stripped):  # 没有予以公开的, 除了…以外 (没有…吗: yes or no):
        negated = stripped[runs[0][0]:max(runs[-1][1], after[0].end)].replace("＊", "")  # what a row does not
        # count is asked, which no cell holds
    if leftover:
        measure = None  # words the tables cannot account for: no cell answers this
    measures = tuple(reading.measures) if len(reading.measures) > 1 and not leftover else ()
    follow_up = (measure is None and not reading.measures and not leftover and section is None and not narrative
                 and bool(_FOLLOW_UP.search(text)) and all(s.kind == "filler" for t in terms for s in t.senses))
    if place and not scope and not re.search(r"部门|单位|机关", stripped):
        scope = next((kind for kind in ("片区", "街道", "镇", "乡", "局") if kind in stripped), None)
    if place and operation == "value":
        operation = "sum"
    return Query(text, bodies, unknown, years, measure, reading.column, operation, top, scope, section,
                 tuple(dict.fromkeys(fuzzy)), in_scope, suggestions, topic,
                 difference,
                 _ordinal(m[1]) if (m := _RECENT.search(stripped)) else 0, leftover,
                 (stripped[runs[0][0]:runs[-1][1]].replace("＊", ""),) if runs else (), measures, reading.defaulted,
                 asks_count, english, place, follow_up, share, negated,
                 tuple(reading.measures) if negated else (), share_whole, share_of_row, each, _span(stripped))


_EACH = re.compile(r"分别|各自|各(?:是|有|为)?多少|各(?:有)?几")
_FLOWS = ({"new_received", "carried_over"}, {"total", "carried_forward"})  # what came in; what was done with it


def asks_total(text: str) -> bool:
    """Whether a sum is asked for (合计, 一共, 加起来; 分别多少，合计多少: each and the sum)."""
    return bool(_SUM_WORDS.search(text))


def _summable(measures: list[Measure]) -> bool:
    """Whether the rows asked add up to something: rows of table 三 that came in (新收, 上年结转), or that went
    out (办结, 结转下年度), or outcomes among themselves; the rows of table 四 or of table 二 in one column; never
    rows of two tables."""
    if len(measures) < 2:
        return True
    rows = {r for m in measures for r in m.rows}
    tables = {m.table for m in measures}
    if len(tables) > 1:
        return False  # 予以公开和行政复议: requests and cases are not added
    if tables != {"三"}:
        return True
    flows = set().union(*_FLOWS)
    return any(rows <= kind for kind in _FLOWS) or not rows & flows


_RESULTS = Measure("三", ("total",), None, "三、本年度办理结果（七）总计", "件")
_WITHIN = re.compile(r"中|里|当中|之中")


def _share_whole(text: str, terms: list[_Term]) -> tuple[Measure | None, bool]:
    """The whole a share question names: a group before one of its own reasons (不予公开中属于国家秘密的占比:
    不予公开), and whether a column is asked within a row (予以公开的申请中自然人占比: of the row, not of 自然人's
    results)."""
    rows = [t for t in terms if t.sense("row")]
    for group in rows:
        for part in rows:
            if part is not group and set(part.sense("row").rows) < set(group.sense("row").rows) \
                    and group.end <= part.start and _WITHIN.search(text[group.end:part.start]):
                sense = group.sense("row")
                return Measure(sense.table, sense.rows, None, sense.label, "件"), False
    columns = [t for t in terms if t.sense("column")]
    return None, any(r.end <= c.start and _WITHIN.search(text[r.end:c.start]) for r in rows for c in columns)


_NEGATION_CHARS = set("没有未并不是非除了以之外")
_FOLLOW_UP = re.compile(r"(?:呢|怎么样|如何|又如何)[?？。]*$")
_PLACE_SCOPE = re.compile(r"^(?:\d{2,4}年度?)?(?:已?收录的?)?(?:各|哪个|哪家|哪些|所有|全部|每个|[一二两三四五六七八九十\d]+[个家])"
                          r"|^(?:\d{2,4}年度?)?已?收录的?各?(?:部门|单位|机关|局|片区)"
                          r"|^(?:\d{2,4}年度?)?[^，。？]{0,8}?(?:各|哪个|哪家|哪些|所有)(?:单位|部门|机关|局|片区)")


def _places_asked(text: str, matches: list[tuple[int, int, str]], gazetteer: Gazetteer):
    """A place's own body matched by its place alone (平潭) is the place when a body of that place is named too
    (平潭公安局 … 平潭要闻) or when the bodies of the place are asked about (平潭各单位, 平潭哪个局): the matches
    without it, and the place asked about (or None)."""
    kept, place = [], None
    for match in matches:
        start, end, body = match
        forms = gazetteer.place_forms.get(body, set())
        if text[start:end] not in forms:
            kept.append(match)
            continue
        if any(other != body and other.startswith(body) and not _COMPARED.search(text[min(end, e):max(start, s)])
               for s, e, other in matches):
            continue  # 平潭公安局 and 平潭(要闻): the place is the other body's (平潭比平潭公安局多: two bodies)
        if len({b for _, _, b in matches}) > 1:
            kept.append(match)  # 金井、君山、苏平三个片区: bodies named in a list, not a place
            continue
        rest = _OWN_BODY.sub("", text[end:])  # 本机关不掌握: the template's words, not bodies asked about
        if _PLACE_SCOPE.search(rest) or re.search(r"(?:各|哪个|哪家|哪些|所有)(?:单位|部门|机关|局|片区)", text) \
                or (_SCOPE_ASKED.search(text) and re.search(r"单位|部门|机关|局|片区|街道|镇|乡", rest)):
            place = body
            continue
        kept.append(match)
    return kept, place


_COMPARED = re.compile(r"比|和|与|跟|同|及|对比|相比|、")


_OWN_BODY = re.compile(r"本机关|本单位|该机关|行政机关|机关不掌握")
_SCOPE_ASKED = re.compile(r"各|哪个|哪家|哪些|所有|全部|每个|排名|排序|最多|最少|前[一二两三四五六七八九十\d]|一共|合计|总共|"
                          r"[一二两三四五六七八九十\d]+个")


def _place_named(text: str, gazetteer: Gazetteer) -> str | None:
    """The place whose bodies are asked about when the question names a place, not a body, and asks over bodies
    (莆田各单位收到申请排名): the place as the bodies' names write it; else None."""
    if not _SCOPE_ASKED.search(text):
        return None
    for form in sorted(gazetteer.place_prefix, key=len, reverse=True):
        if form in text:
            return gazetteer.place_prefix[form]
    return None


def _spans(text: str, words: set[str]) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for word in sorted(words, key=len, reverse=True) if word
            for m in re.finditer(re.escape(word), text)]


_SCOPE_WORDS = re.compile(r"^(?:各|哪个|哪些|哪家|所有|全部|每个|本|我|该|这|那|其他|其它|下属|[一二两三四五六七八九十\d]+个|几个)")


# 按法人分, 按申请人类型来统计: the columns a table is split by
_SPLIT_BY = re.compile(r"按照?([^，。？?]{1,20}?)(?:来|去)?(?:分类|区分|划分|细分|拆分|分开|分|统计|算)(?:一下|的话|看看|看)?")


def follow_up_columns(question: str, gazetteer: Gazetteer) -> tuple[str, tuple[tuple[str, ...], ...], str] | None:
    """The columns a question names with no row to read them in (按法人分呢, 自然人呢, 那企业和律所呢, 王家街道的法人
    呢, 金额呢): the table, each column word's keys (a table-二 word may name the column of several rows: 金额), and
    the words as written; None when the question names a row or 申请, a word that is neither a column, a body, a year
    nor a filler, columns of two tables, or two columns not asked together (自然人法人)."""
    text = _SPLIT_BY.sub(r"\1", normalize_question(question))
    matches, others = gazetteer.match_detail(text)
    if others:
        return None
    masked = _mask(text, matches)
    terms, taken = _covered(masked)
    columns = [t for t in terms if (t.sense("column") or t.sense("t2column")) and t.sense("filler") is None]
    if not columns or _runs(masked, taken, []):
        return None
    if any(t not in columns and t.sense("filler") is None and t.sense("count") is None for t in terms):
        return None  # a row, the object 申请, a word of table 二's rows
    tables = {s.table for t in columns for s in t.senses if s.kind in ("column", "t2column")}
    if len(tables) != 1 or any(not _connected(masked, a, b) for a, b in zip(columns, columns[1:])):
        return None
    keys = tuple(tuple(dict.fromkeys(s.key for s in t.senses if s.kind in ("column", "t2column"))) for t in columns)
    words = masked[columns[0].start:columns[-1].end].replace("＊", "")
    return tables.pop(), keys, words


def with_t2_column(measure: Measure, keys: tuple[str, ...]) -> Measure | None:
    """A table-二 measure read in another of its row's columns (政府集中采购: 采购项目数量 → 采购总金额), the first of
    ``keys`` the row has; None when it has none of them or the measure is not of table 二."""
    if measure.table != "二" or len(measure.rows) != 1:
        return None
    row = measure.rows[0]
    key = next((k for k in keys if _t2_has(row, k)), None)
    if key is None:
        return None
    return Measure("二", measure.rows, key, f"{measure.label.split('（')[0]}（{_T2_COLUMN_LABELS[key]}）", _t2_unit(key))


def asks_about_text(text: str) -> bool:
    """Whether a question asks about the report's text (哪些, 怎么, 措施, 公众号), not a number of its tables."""
    return bool(_NARRATIVE.search(text) or _section(text))


def operation_named(text: str) -> tuple[str, int | None]:
    """The operation a question's own words name (最多, 前三, 历年, 一共, 各街道: a sum), and its N, without
    counting the bodies or years it names."""
    return _operation(_SHARE.sub("", text), 0, 0)
