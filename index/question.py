"""Question understanding: body, year, measure, applicant column, operation and the section a question aims at.

The measure lexicon is built from the template's own labels plus the words people use for them; entries are
tried in order, the most specific first (信访举报投诉类申请 before 申请).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .gazetteer import Gazetteer, unknown_mention
from .model import Measure, Query

__all__ = ["parse_question", "normalize_question", "MEASURES", "MAX_QUESTION_CHARS"]

MAX_QUESTION_CHARS = 300

_WITHHELD = tuple(f"withheld.{k}" for k in ("state_secret", "prohibited_by_law", "three_safeties", "third_party",
                                           "internal_affairs", "process_info", "enforcement_files", "query_matters"))
_UNAVAILABLE = ("unavailable.not_held", "unavailable.needs_creation", "unavailable.still_unclear")
_NOT_PROCESSED = tuple(f"not_processed.{k}" for k in ("petition", "repeated", "publications", "excessive", "confirmation"))
_OTHER_2021 = ("other.overdue_correction", "other.unpaid_fees", "other.other")


def _t3(rows, label, alternatives=()) -> Measure:
    return Measure("三", rows if isinstance(rows, tuple) else (rows,), None, label, "件", alternatives)


def _t4(rows, label) -> Measure:
    return Measure("四", rows if isinstance(rows, tuple) else (rows,), None, label, "件")


def _t2(row, column, label, unit="件") -> Measure:
    return Measure("二", (row,), column, label, unit)


# (pattern over the normalised question, measure). Table 二 columns are picked separately (see _T2_COLUMNS).
MEASURES: tuple[tuple[str, Measure], ...] = (
    # table 四 first: its words (复议, 诉讼) are unambiguous
    (r"未经复议|直接起诉", _t4("litigation_direct", "行政诉讼（未经复议直接起诉）")),
    (r"复议后起诉|复议后.*诉讼", _t4("litigation_after_review", "行政诉讼（复议后起诉）")),
    (r"行政诉讼|被起诉|起诉|诉讼", _t4(("litigation_direct", "litigation_after_review"), "行政诉讼（两类合计）")),
    (r"行政复议|复议", _t4("review", "行政复议")),
    # table 三, sub-rows
    (r"国家秘密", _t3("withheld.state_secret", "不予公开：属于国家秘密")),
    (r"法律行政法规禁止|法规禁止|其他法律", _t3("withheld.prohibited_by_law", "不予公开：其他法律行政法规禁止公开")),
    (r"三安全|一稳定", _t3("withheld.three_safeties", "不予公开：危及“三安全一稳定”")),
    (r"第三方", _t3("withheld.third_party", "不予公开：保护第三方合法权益")),
    (r"内部事务", _t3("withheld.internal_affairs", "不予公开：属于三类内部事务信息")),
    (r"过程性", _t3("withheld.process_info", "不予公开：属于四类过程性信息")),
    (r"执法案卷", _t3("withheld.enforcement_files", "不予公开：属于行政执法案卷")),
    (r"行政查询", _t3("withheld.query_matters", "不予公开：属于行政查询事项")),
    (r"不掌握", _t3("unavailable.not_held", "无法提供：本机关不掌握相关政府信息")),
    (r"另行制作|没有现成", _t3("unavailable.needs_creation", "无法提供：没有现成信息需要另行制作")),
    (r"补正后|仍不明确|内容不明确", _t3("unavailable.still_unclear", "无法提供：补正后申请内容仍不明确")),
    (r"信访|举报|投诉", _t3("not_processed.petition", "不予处理：信访举报投诉类申请")),
    (r"重复申请", _t3("not_processed.repeated", "不予处理：重复申请")),
    (r"出版物", _t3("not_processed.publications", "不予处理：要求提供公开出版物")),
    (r"大量反复|反复申请", _t3("not_processed.excessive", "不予处理：无正当理由大量反复申请")),
    (r"重新出具|确认或", _t3("not_processed.confirmation", "不予处理：要求行政机关确认或重新出具已获取信息")),
    (r"逾期不补正|不补正", _t3("other.overdue_correction", "其他处理：申请人无正当理由逾期不补正")),
    (r"缴纳费用|收费通知|未缴费|不缴费|未缴纳|不缴纳|未按.{0,8}缴", _t3("other.unpaid_fees", "其他处理：申请人逾期未按收费通知要求缴纳费用")),
    # table 三, groups (summed over their sub-rows)
    (r"部分公开", _t3("partially_disclosed", "（二）部分公开")),
    (r"不予公开|不公开", _t3(_WITHHELD, "（三）不予公开（八项合计）")),
    (r"予以公开|同意公开|全部公开|公开了多少|予以了公开", _t3("disclosed", "（一）予以公开")),
    (r"无法提供|不能提供", _t3(_UNAVAILABLE, "（四）无法提供（三项合计）")),
    (r"不予处理", _t3(_NOT_PROCESSED, "（五）不予处理（五项合计）")),
    (r"其他处理", _t3(("other",), "（六）其他处理", (_OTHER_2021,))),
    (r"结转下年|转下年|转下一年|转入下一?年|结转到下|结转至下|下一?年度继续|继续办理|未办结|尚未办结|没办完|未办完|没有办完|"
     r"还没办|尚未办理完", _t3("carried_forward", "四、结转下年度继续办理")),
    (r"上年结转|去年结转|上一年结转|结转", _t3("carried_over", "二、上年结转政府信息公开申请数量")),
    (r"办理结果|办结|办理了|处理了|答复了|总计", _t3("total", "三、本年度办理结果（七）总计")),
    (r"收到|新收|受理|提出|申请(数量|数|量|件|合计|总数|总量)|多少.{0,4}申请|几件申请|申请.{0,6}(多少|几)|依申请",
     _t3("new_received", "一、本年新收政府信息公开申请数量")),
)

_T2_ROWS = (
    (r"规章", "regulations", "规章"),
    (r"规范性文件", "normative_documents", "规范性文件"),
    (r"行政许可", "licensing", "行政许可"),
    (r"其他对外管理服务|对外管理服务", "other_services", "其他对外管理服务事项"),
    (r"行政处罚|处罚", "punishment", "行政处罚"),
    (r"行政强制|强制", "coercion", "行政强制"),
    (r"行政事业性收费|事业性收费|收费", "fees", "行政事业性收费"),
    (r"集中采购|政府采购|采购", "procurement", "政府集中采购"),
)
_T2_COLUMNS = (  # (pattern, column key, label); the first that matches and that the row has wins
    (r"金额|多少钱|花了|资金|万元", "amount", "采购总金额"),
    (r"收费金额|收了多少|收费多少", "fee_amount", "本年收费金额"),
    (r"上一年|上年|去年", "previous_items", "上一年项目数量"),
    (r"增减|增/减|增加|减少|增|减", "change", "本年增/减"),
    (r"新制作|制作", "made", "本年新制作数量"),
    (r"新公开", "published", "本年新公开数量"),
    (r"对外公开总|公开总数|总数", "total_public", "对外公开总数量"),
    (r"制发|发布了|印发", "issued", "本年制发件数"),
    (r"废止", "repealed", "本年废止件数"),
    (r"现行有效|有效", "in_force", "现行有效件数"),
    (r"处理决定|决定", "decisions", "处理决定数量"),
    (r"项目数量|项目|多少个|几个|数量", "items", "采购项目数量"),
    (r"主动公开|公开了", "published", "本年新公开数量"),  # only when no column is named: 主动公开 is table 二's title
)
_T2_DEFAULT = {"procurement": "items", "fees": "fee_amount", "regulations": "in_force", "normative_documents": "in_force"}

_COLUMNS = (
    (r"法人或其他组织|法人和其他组织|法人|单位申请|组织申请|企业和组织", "legal_persons"),
    (r"自然人|个人|公民|群众", "natural_person"),
    (r"商业企业|企业", "commercial"),
    (r"科研机构", "research"),
    (r"社会公益组织|公益组织", "public_interest"),
    (r"法律服务机构|律师|律所", "legal_service"),
)

_CN = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DOMAIN = re.compile(r"政府|信息|公开|申请|报告|年报|街道|乡|镇|局|委|办|县|区|市|复议|诉讼|采购|收费|处罚|许可|强制|公众号|"
                     r"微博|网站|渠道|措施|问题|不足|改进|工作|机制|领导|培训|制度|电话|联系|平台|规章|文件|依申请|主动")


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def normalize_question(text: str) -> str:
    """NFKC, Traditional to Simplified, no white space; cut to MAX_QUESTION_CHARS."""
    text = unicodedata.normalize("NFKC", text or "")[:MAX_QUESTION_CHARS]
    if re.search(r"[\u4e00-\u9fff]", text):
        text = _t2s().convert(text)
    return re.sub(r"\s+", "", text)


def _years(text: str) -> tuple[int, ...]:
    years: list[int] = []
    for m in re.finditer(r"([〇○零一二三四五六七八九]{4})年", text):
        years.append(int("".join(str(_CN[c]) for c in m[1])))
    for m in re.finditer(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text):
        years.append(int(m[1]))
    for m in re.finditer(r"(?<![\d〇○零一二三四五六七八九])(\d{2})年(?!度报告)", text):
        if int(m[1]) >= 10:
            years.append(2000 + int(m[1]))
    return tuple(dict.fromkeys(y for y in years if 1990 <= y <= 2099))


_GENERIC_FROM = next(i for i, (_, m) in enumerate(MEASURES) if m.rows == ("carried_forward",))


def _measure(text: str) -> Measure | None:
    """Specific rows of tables 四 and 三 first, then table 二, then the generic rows of table 三 (收到, 结转, 总计)."""
    if _NOT_IN_TABLES.search(text) and not _FEE_OUTCOME.search(text):
        return None  # answered from the text (人大代表建议办理 50 件; 信息处理费 380 元)
    table2_first = "主动公开" in text  # 主动公开了多少件规范性文件: table 二, not 予以公开 of table 三
    for pattern, measure in MEASURES[:_GENERIC_FROM]:
        if re.search(pattern, text) and not (table2_first and measure.table == "三" and _table2_row(text)):
            return measure
    for row_pattern, row_key, row_label in _T2_ROWS:
        if re.search(row_pattern, text):
            for column_pattern, column, column_label in _T2_COLUMNS:
                if re.search(column_pattern, text) and _t2_has(row_key, column):
                    return _t2(row_key, column, f"{row_label}（{column_label}）", _t2_unit(column))
            column = _T2_DEFAULT.get(row_key, "decisions")
            return _t2(row_key, column, row_label, _t2_unit(column))
    for pattern, measure in MEASURES[_GENERIC_FROM:]:
        if re.search(pattern, text):
            return measure
    return None


# Topics the narrative states and no table counts: proposals handled (section 六) and the information-processing
# fee (信息处理费, section 六), not table 二's 行政事业性收费.
_NOT_IN_TABLES = re.compile(r"建议|提案|处理费|信息公开.{0,4}收费|公开收费")
_FEE_OUTCOME = re.compile(r"未缴|不缴|逾期.{0,8}缴|未按.{0,8}缴|终止|不再处理")  # table 三's 逾期未按…缴纳费用 row


def _table2_row(text: str) -> bool:
    return any(re.search(pattern, text) for pattern, _, _ in _T2_ROWS)


def _t2_unit(column: str) -> str | None:
    """Money columns take the unit the report states; counts are 件, procurement items 个."""
    return None if column in ("amount", "fee_amount") else ("个" if column == "items" else "件")


def _t2_has(row_key: str, column: str) -> bool:
    by_row = {
        "procurement": {"items", "amount"},
        "fees": {"previous_items", "change", "fee_amount"},
        "regulations": {"made", "published", "total_public", "issued", "repealed", "in_force"},
        "normative_documents": {"made", "published", "total_public", "issued", "repealed", "in_force"},
    }
    return column in by_row.get(row_key, {"previous_items", "change", "decisions"})


def _ordinal(word: str) -> int:
    return _CN.get(word) or (10 if word == "十" else int(word))


def _operation(text: str, n_bodies: int, n_years: int) -> tuple[str, int | None]:
    if m := re.search(r"倒数前([一二两三四五六七八九十]|\d+)|最少的前([一二两三四五六七八九十]|\d+)", text):
        return "rank_min", _ordinal(m[1] or m[2])  # the bottom N, fewest first
    if m := re.search(r"前([一二两三四五六七八九十]|\d+)(名|个|位)?", text):
        top = _CN.get(m[1]) or (10 if m[1] == "十" else int(m[1]) if m[1].isdigit() else 3)
        return "rank", top
    if re.search(r"排名|排序|排行|名次|从多到少|由多到少|从高到低|排一下|排个序", text):
        return "rank", None
    if re.search(r"倒数第一|倒数第1|排在最后|最后一名|垫底", text):
        return "min", None
    if m := re.search(r"倒数第([二两三四五六七八九十]|\d+)|第([二两三四五六七八九十]|\d+)(?:少|低|小)", text):
        return "nth_min", _ordinal(m[1] or m[2])  # 倒数第二, 第三少: counted from the bottom
    if m := re.search(r"第([二两三四五六七八九十]|\d+)(?:多|名|高|大)", text):  # 第二多: the second of a ranking
        return "nth", _ordinal(m[1])
    if re.search(r"最多|最高|最大|哪个.{0,12}多|谁.{0,6}多", text):
        return "max", None
    if re.search(r"最少|最低|最小|哪个.{0,12}少|谁.{0,6}少", text):
        return "min", None
    if n_years >= 2 or _RECENT.search(text) or _LAST_YEAR.search(text) \
            or re.search(r"历年|变化|趋势|逐年|每年|各年|近几年|这几年|这两年", text):
        return "trend", None
    if n_bodies >= 2 or re.search(r"对比|比较|相比|比.{1,12}(多|少)", text):
        return "compare", None
    if n_bodies == 0 and re.search(r"一共|合计|总共|共计|加起来|总和|各街道|各镇|各乡|所有|全部|各单位|各机关|各部门", text):
        return "sum", None
    return "value", None


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
_SCOPE_NAMED = re.compile(r"(?:各|哪个|哪些|所有|全部|每个)(?P<scope>乡镇|街道|镇(?![乡街])|乡(?![镇村]))")  # text
_RECENT = re.compile(r"近([两二三四五六七八九十]|\d+)年")
_LAST_YEAR = re.compile(r"(?:比|较|与|和|跟)(?:去年|上一?年)(?:相比|比)?|同比")
_DIFFERENCE = re.compile(r"多多少|多了多少|少多少|少了多少|多[几收]|少[几收]|增长|增加|减少|下降|差多少|相差|差距|同比|比去年|比上一?年")
_YEAR_WORDS = re.compile(r"(?:[〇○零一二三四五六七八九]{4}|(?:19|20)?\d{2})年度?")


def _mask(text: str, matches: list[tuple[int, int, str]]) -> str:
    for start, end, _ in reversed(matches):
        text = text[:start] + "＊" + text[end:]
    return text


def parse_question(question: str, gazetteer: Gazetteer) -> Query:
    text = normalize_question(question)
    matches, others = gazetteer.match_detail(text)
    masked = _mask(text, matches)
    unknown = unknown_mention(masked, gazetteer) or (others[0] if others else None)
    fuzzy: tuple[str, ...] = ()
    if unknown or not matches:  # a name not held exactly: perhaps one character off (沐阳 for 沭阳)
        extra = gazetteer.match_fuzzy(masked)
        extra = [m for m in extra if m[2] not in {body for _, _, body in matches}]
        if extra:
            fuzzy = tuple(body for _, _, body in extra)
            matches = sorted(matches + extra)
            masked = _mask(text, matches)
            unknown = unknown_mention(masked, gazetteer)
    bodies = tuple(dict.fromkeys(body for _, _, body in matches))
    suggestions = tuple(body for _, _, body in gazetteer.match_fuzzy(masked, min_len=3)) if unknown else ()
    stripped = masked  # body names must not be read as measures (e.g. 采购 in a name)
    years = _years(stripped)
    last_year = bool(_LAST_YEAR.search(stripped))
    without_last_year = _LAST_YEAR.sub("", stripped)
    measure = _measure(without_last_year)  # 比上年 is not table 二's 上一年项目数量 column
    # table 二 states the change itself (本年增/减): 行政许可比上年增加了多少 reads that cell, for the one year
    stated_change = measure is not None and measure.table == "二" and measure.column == "change"
    if stated_change and len(years) == 2 and abs(years[0] - years[1]) == 1:  # 2019年比2018年增加了多少
        years = (max(years),)
    if len(years) == 1 and last_year and not stated_change:  # 2020年比去年多多少: 2019 and 2020
        years = (years[0] - 1, years[0])
    column = next((key for pattern, key in _COLUMNS if re.search(pattern, stripped)), None)
    operation, top = _operation(without_last_year if stated_change else stripped, len(bodies), len(years))
    scope = None
    if not bodies and (m := (_SCOPE if measure else _SCOPE_NAMED).search(stripped)):
        scope = m["scope"]
    in_scope = bool(bodies or unknown or measure or _DOMAIN.search(stripped))
    topic = _YEAR_WORDS.sub("", stripped).replace("＊", "")
    return Query(text, bodies, unknown, years, measure, column, operation, top, scope, _section(stripped), fuzzy,
                 in_scope, suggestions, topic, not stated_change and bool(_DIFFERENCE.search(stripped)),
                 _ordinal(m[1]) if (m := _RECENT.search(stripped)) else 0)
