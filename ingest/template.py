"""The national annual-report template: tables, rows, columns and their stable keys.

Everything the parser, the checks and the question layer know about the template lives here, so a key such as
``new_received`` means the same row (一、本年新收政府信息公开申请数量) everywhere. Patterns are matched against a
label after :func:`normalize_label` (no white space, full-width brackets, ASCII digits and dots).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "Column", "Row", "TableSpec", "TABLE2_2019", "TABLE2_2021", "TABLE3", "TABLE4", "T3_COLUMNS", "T4_COLUMNS",
    "T4_GROUPS", "T3_FLOW_KEYS", "LEGAL_PERSON_COLUMNS", "normalize_label", "outcome_keys", "table2_spec",
]

@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str | None = None  # unit the template itself fixes for the column


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    pattern: str  # regex searched in the normalised label
    columns: tuple[Column, ...]
    leaf: bool = True  # False for a group heading that only stands alone in some layouts
    sums: tuple[str, ...] = ()  # rows this one is the total of (query-time and checks)
    cue: str | None = None  # the pattern searched in a character stream (ingest.align); None: ``pattern``

    def search(self, label: str) -> re.Match | None:
        """The row's pattern searched in a normalised label."""
        return _compiled(self.pattern).search(label)

    @property
    def stream_cue(self) -> str:
        return self.cue or self.pattern

    @property
    def number(self) -> str:
        """The row's own numbering as it reads after normalize_label: 一. / （一） / 1. (empty when it has none)."""
        own = self.label.rsplit(" ", 1)[-1]
        match = re.match(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)", own)
        return normalize_label(match[0]) if match else ""


@dataclass(frozen=True, eq=False)  # one object per table: compared and hashed by identity (a cache key)
class TableSpec:
    number: str  # 二 / 三 / 四
    title: str
    rows: tuple[Row, ...]

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)


_FULLWIDTH = str.maketrans({"(": "（", ")": "）", "．": ".", "、": ".", "，": ",", "：": ":", "“": '"', "”": '"'})


@functools.lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


@functools.lru_cache(maxsize=8192)  # labels repeat from report to report: the template's own wording
def normalize_label(text: str) -> str:
    """Fold a table label for matching: NFKC except brackets, no white space, ``1、`` and ``1．`` as ``1.``."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text)
    text = text.translate(_FULLWIDTH)
    return text


# --- table 三 -------------------------------------------------------------------------------------------------
T3_COLUMNS = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("public_interest", "社会公益组织"),
    Column("legal_service", "法律服务机构"),
    Column("other_org", "其他"),
    Column("total", "总计"),
)
LEGAL_PERSON_COLUMNS = ("commercial", "research", "public_interest", "legal_service", "other_org")

_WITHHELD = (
    ("state_secret", "1.属于国家秘密", r"国家秘密"),
    ("prohibited_by_law", "2.其他法律行政法规禁止公开", r"法律行政法规禁|其他法律|法规禁止"),
    ("three_safeties", "3.危及“三安全一稳定”", r"三安全|一稳定"),
    ("third_party", "4.保护第三方合法权益", r"第三方"),
    ("internal_affairs", "5.属于三类内部事务信息", r"内部事务"),
    ("process_info", "6.属于四类过程性信息", r"过程性"),
    ("enforcement_files", "7.属于行政执法案卷", r"执法案卷", r"执法案[卷件]"),
    ("query_matters", "8.属于行政查询事项", r"行政查询"),
)
_UNAVAILABLE = (
    ("not_held", "1.本机关不掌握相关政府信息", r"不掌握"),
    ("needs_creation", "2.没有现成信息需要另行制作", r"另行制作|没有现成"),
    ("still_unclear", "3.补正后申请内容仍不明确", r"补正后|仍不明确"),
)
_NOT_PROCESSED = (
    ("petition", "1.信访举报投诉类申请", r"信访|举报投诉"),
    ("repeated", "2.重复申请", r"重复申请"),
    ("publications", "3.要求提供公开出版物", r"公开出版物"),
    ("excessive", "4.无正当理由大量反复申请", r"大量反复"),
    ("confirmation", "5.要求行政机关确认或重新出具已获取信息", r"重新出具|确认或重新"),
)
_OTHER_2021 = (
    ("overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", r"逾期不补正|不补正"),
    ("unpaid_fees", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", r"缴纳费用|收费通知"),
    ("other", "3.其他", r"^(?:（六）其他处理)?3\.?其他$", r"3\.其他(?!处理|法律|对外)"),
)


def _group(prefix: str, group_label: str, items) -> tuple[Row, ...]:
    return tuple(Row(f"{prefix}.{key}", f"{group_label} {label}", pattern, T3_COLUMNS, cue=cue[0] if cue else None)
                 for key, label, pattern, *cue in items)


TABLE3 = TableSpec("三", "收到和处理政府信息公开申请情况", (
    Row("new_received", "一、本年新收政府信息公开申请数量", r"本年新收", T3_COLUMNS),
    Row("carried_over", "二、上年结转政府信息公开申请数量", r"上年结转", T3_COLUMNS),
    Row("disclosed", "（一）予以公开", r"予以公开", T3_COLUMNS),
    Row("partially_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", r"部分公开", T3_COLUMNS),
    *_group("withheld", "（三）不予公开", _WITHHELD),
    *_group("unavailable", "（四）无法提供", _UNAVAILABLE),
    *_group("not_processed", "（五）不予处理", _NOT_PROCESSED),
    # 2019 format: one row; 2021 format: three sub-rows. Both are stored under their own keys.
    Row("other", "（六）其他处理", r"其他处理$|^（六）其他$", T3_COLUMNS, leaf=False, cue=r"其他处理"),
    *_group("other", "（六）其他处理", _OTHER_2021),
    Row("total", "（七）总计", r"（七）总计|^七\.?总计|^总计$", T3_COLUMNS, cue=r"（七）总计|七\.总计|总计"),
    Row("carried_forward", "四、结转下年度继续办理", r"结转下年|转下年度|下年度继续", T3_COLUMNS),
))
# 一, 二, （七）总计 and 四: the rows of the balance 一 + 二 = （七） + 四; every other row is an outcome of （七）
T3_FLOW_KEYS = ("new_received", "carried_over", "total", "carried_forward")


def outcome_keys(row_keys) -> list[str]:
    """The outcome rows among ``row_keys`` that （七）总计 adds up: the 2021 sub-rows of （六） where present, else （六）."""
    outcomes = [k for k in row_keys if k not in T3_FLOW_KEYS]
    if any(k.startswith("other.") for k in outcomes):
        outcomes = [k for k in outcomes if k != "other"]
    return outcomes

# --- table 四 -------------------------------------------------------------------------------------------------
T4_COLUMNS = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)
T4_GROUPS = (
    ("review", "行政复议"),
    ("litigation_direct", "行政诉讼·未经复议直接起诉"),
    ("litigation_after_review", "行政诉讼·复议后起诉"),
)
TABLE4 = TableSpec("四", "政府信息公开行政复议、行政诉讼情况", tuple(
    Row(key, label, re.escape(label), T4_COLUMNS) for key, label in T4_GROUPS
))

# --- table 二 -------------------------------------------------------------------------------------------------
_DOCS_2019 = (Column("made", "本年新制作数量"), Column("published", "本年新公开数量"), Column("total_public", "对外公开总数量"))
_ITEMS_2019 = (Column("previous_items", "上一年项目数量"), Column("change", "本年增/减"), Column("decisions", "处理决定数量"))
_FEES_2019 = (Column("previous_items", "上一年项目数量"), Column("change", "本年增/减"))
_PROCUREMENT = (Column("items", "采购项目数量"), Column("amount", "采购总金额"))

TABLE2_2019 = TableSpec("二", "主动公开政府信息情况", (
    Row("regulations", "规章", r"^规章$|第\(一\)项规章$|^规章", _DOCS_2019, cue=r"规章"),
    Row("normative_documents", "规范性文件", r"规范性文件", _DOCS_2019),
    Row("licensing", "行政许可", r"^行政许可", _ITEMS_2019, cue=r"行政许可"),
    Row("other_services", "其他对外管理服务事项", r"^其他对外管理服务事项", _ITEMS_2019, cue=r"对外管理服务事项"),
    Row("punishment", "行政处罚", r"^行政处罚", _ITEMS_2019, cue=r"行政处罚"),
    Row("coercion", "行政强制", r"^行政强制", _ITEMS_2019, cue=r"行政强制"),
    Row("fees", "行政事业性收费", r"^行政事业性收费", _FEES_2019, cue=r"事业性收费"),
    Row("procurement", "政府集中采购", r"集中采购", _PROCUREMENT),
))

_DOCS_2021 = (Column("issued", "本年制发件数"), Column("repealed", "本年废止件数"), Column("in_force", "现行有效件数"))
_DECISIONS_2021 = (Column("decisions", "本年处理决定数量"),)
TABLE2_2021 = TableSpec("二", "主动公开政府信息情况", (
    Row("regulations", "规章", r"^规章", _DOCS_2021, cue=r"规章"),
    Row("normative_documents", "行政规范性文件", r"规范性文件", _DOCS_2021),
    Row("licensing", "行政许可", r"^行政许可", _DECISIONS_2021, cue=r"行政许可"),
    Row("punishment", "行政处罚", r"^行政处罚", _DECISIONS_2021, cue=r"行政处罚"),
    Row("coercion", "行政强制", r"^行政强制", _DECISIONS_2021, cue=r"行政强制"),
    Row("fees", "行政事业性收费", r"^行政事业性收费", (Column("fee_amount", "本年收费金额", "万元"),), cue=r"事业性收费"),
))


def table2_spec(fmt: str) -> TableSpec:
    return TABLE2_2021 if fmt == "2021" else TABLE2_2019
