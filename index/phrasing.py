"""What a measure is called in an answer: Chinese a reader would write, not the template's label pasted in.

``subject(measure, columns)`` names what was counted (新收政府信息公开申请, 因属于国家秘密不予公开的申请,
行政复议结果维持的案件, 规章本年制发); ``where(table, row, column)`` names the cell it was read from, briefly
(表三“本年新收”行“总计”列).
"""
from __future__ import annotations

import re

from ingest.checks import row_display

from .lexicon import T3_GROUPS
from .model import Measure

__all__ = ["subject", "where", "short_row", "template_order", "t2_column_name"]

_ROWS = {
    "new_received": "新收政府信息公开申请",
    "carried_over": "上年结转的政府信息公开申请",
    "disclosed": "予以公开的申请",
    "partially_disclosed": "部分公开的申请",
    "total": "办理完毕的申请（本年度办理结果合计）",
    "carried_forward": "结转下年度继续办理的申请",
    "other": "其他处理的申请",
    "other.overdue_correction": "因申请人逾期不补正而不再处理的申请",
    "other.unpaid_fees": "因申请人逾期未按收费通知缴纳费用而不再处理的申请",
    "other.other": "其他处理中“其他”一项的申请",
    "review": "被申请行政复议的案件",
    "litigation_direct": "未经复议直接起诉的行政诉讼案件",
    "litigation_after_review": "复议后起诉的行政诉讼案件",
}
_T4_LIST = {"review": "行政复议", "litigation_direct": "直接起诉", "litigation_after_review": "复议后起诉"}
_T4_SHORT = {"review": "行政复议", "litigation_direct": "直接起诉的行政诉讼", "litigation_after_review": "复议后起诉的行政诉讼"}
_GROUPS = {"withheld": "不予公开的申请", "unavailable": "无法提供的申请", "not_processed": "不予处理的申请"}
_WHOLE_GROUPS = dict(T3_GROUPS, other=("other.overdue_correction", "other.unpaid_fees", "other.other"))
_GROUP_NAMES = {"withheld": "不予公开", "unavailable": "无法提供", "not_processed": "不予处理", "other": "其他处理"}
_COLUMNS_T3 = {"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构",
               "public_interest": "社会公益组织", "legal_service": "法律服务机构", "other_org": "其他组织",
               "legal_persons": "法人或其他组织"}
_COLUMNS_T4 = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结"}
_T2_ROWS = {"regulations": "规章", "normative_documents": "行政规范性文件", "licensing": "行政许可",
            "other_services": "其他对外管理服务事项", "punishment": "行政处罚", "coercion": "行政强制",
            "fees": "行政事业性收费", "procurement": "政府集中采购"}
_T2_COLUMNS = {"made": "本年新制作", "published": "本年新公开", "total_public": "对外公开总数", "issued": "本年制发",
               "repealed": "本年废止", "in_force": "现行有效", "previous_items": "上一年项目数", "change": "本年增减",
               "decisions": "处理决定", "fee_amount": "本年收费金额", "items": "项目", "amount": "采购总金额"}


def t2_column_name(key: str) -> str:
    """A table-二 column as a reader names it (现行有效, 对外公开总数)."""
    return _T2_COLUMNS.get(key, key)


def _row(key: str, label: str) -> str:
    if key in _ROWS:
        return _ROWS[key]
    if not label:
        from ingest.template import TABLE3

        label = next((r.label for r in TABLE3.rows if r.key == key), key)
    group, _, item = key.partition(".")
    reason = re.sub(r"^\d+\.", "", label.rsplit(" ", 1)[-1])
    if group == "withheld":
        return f"因{reason}不予公开的申请"
    if group == "unavailable":
        return f"因{reason}无法提供的申请"
    if group == "not_processed":
        return f"不予处理的{reason if reason.endswith('申请') else reason + '的申请'}"
    return label


def subject(measure: Measure, columns: tuple[str, ...] = ("total",), column_label: str = "") -> str:
    """What the measure counts, with the column it is read in (自然人提出的, 结果维持的)."""
    if measure.table == "二":
        row = " ".join(_T2_ROWS.get(r.split("/")[0], r) + (f"·{r.split('/', 1)[1]}" if "/" in r else "")
                       for r in measure.rows[:1])
        if len(measure.rows) > 1:
            row = "与".join(_T2_ROWS.get(r.split("/")[0], r) for r in measure.rows)
        column = (column_label or _T2_COLUMNS.get(measure.column or "", "")).replace("本年增/减", "本年增减")
        column = re.sub(r"总数量$", "总数", column)  # 对外公开总数0件
        column = re.sub(r"(?<=.)(?<!总)(?:件数|数量)$", "", column)  # 本年制发13件, not 本年制发件数13件
        if column.startswith("采购") and row.endswith("采购"):
            column = column[2:]  # 政府集中采购总金额, not 政府集中采购采购总金额
        return f"{row}{column}"
    if len(measure.rows) > 1 and (group := _group_of(measure.rows)):
        base = _GROUPS[group]
    elif len(measure.rows) > 1 and set(measure.rows) == {"litigation_direct", "litigation_after_review"}:
        base = "行政诉讼案件（直接起诉和复议后起诉合计）"
    elif len(measure.rows) > 1 and len(groups := {r.split(".")[0] for r in measure.rows}) == 1 \
            and (group := next(iter(groups))) in _GROUPS:  # some reasons of one group: 不予公开的申请中，A和B的合计
        from ingest.template import TABLE3

        labels = {r.key: r.label for r in TABLE3.rows}
        reasons = [re.sub(r"^\d+\.", "", labels.get(r, r).rsplit(" ", 1)[-1])
                   for r in sorted(measure.rows, key=template_order)]
        base = f"{_GROUPS[group]}中，" + "、".join(reasons[:-1]) + "和" + reasons[-1] + "的合计"
    elif len(measure.rows) > 1:  # several rows asked together: 予以公开和部分公开的申请合计
        names = []
        for r in sorted(measure.rows, key=template_order):
            group = r.split(".")[0]
            if "." in r and set(_WHOLE_GROUPS.get(group, ())) <= set(measure.rows):
                name = _GROUP_NAMES[group]  # every row of a group asked: the group's name (不予处理, 其他处理)
            else:
                name = _T4_LIST.get(r) or re.sub(r"的?(?:政府信息公开)?(申请|案件)$", "", _row(r, "") or r)
            if name not in names:
                names.append(name)
        noun = "案件" if measure.table == "四" else "的申请"
        base = ("、".join(names[:-1]) + "和" + names[-1] if len(names) > 1 else names[0]) + f"{noun}合计"
    else:
        base = _row(measure.rows[0], measure.label.split("：")[-1])
    named = [c for c in columns if c != "total"]
    if not named:
        return base
    if measure.table == "四":
        short = _T4_SHORT.get(measure.rows[0], base) if len(measure.rows) == 1 else base
        outcomes = "和".join(_COLUMNS_T4.get(c, c) for c in named)
        return f"{short}中{outcomes}的" + ("合计" if len(named) > 1 else "")
    organisations = [c for c in named if c != "natural_person"]
    if len(organisations) == 5:  # the five columns of 法人或其他组织, with 自然人 or without
        who = "自然人和法人或其他组织" if "natural_person" in named else "法人或其他组织"
    else:
        who = "、".join(_COLUMNS_T3.get(c, c) for c in named)
    verb = "提出的" if measure.rows[0] in ("new_received", "carried_over") else "的"
    return f"{base}中，{who}{verb}"


def _group_of(rows: tuple[str, ...]) -> str | None:
    """The group (不予公开, 无法提供, 不予处理) the rows are all of, when they are the whole group."""
    groups = {r.split(".")[0] for r in rows}
    group = next(iter(groups)) if len(groups) == 1 else None
    return group if group in _GROUPS and set(rows) == set(T3_GROUPS[group]) else None


def template_order(row_key: str) -> int:
    """A row's place in the template (tables 三 and 四), for breakdowns read in the template's order."""
    from ingest.template import T4_GROUPS, TABLE3

    keys = [r.key for r in TABLE3.rows] + [k for k, _ in T4_GROUPS]
    base = row_key.split("/")[0]
    return keys.index(base) if base in keys else len(keys)


def short_row(key: str, label: str, in_group: bool = False) -> str:
    """A row as a reader cites it: 本年新收, （一）予以公开, （三）1.属于国家秘密, 行政复议, 复议后起诉; within its
    own group (``in_group``) without the group's numbering: 属于国家秘密."""
    shown = row_display(key, label).replace("行政诉讼·", "")
    if in_group:
        shown = re.sub(r"^（[一二三四五六七]）\d+\.", "", shown)
    shown = re.sub(r"^[一二三四]、", "", shown)
    shown = re.sub(r"政府信息公开申请数量$", "", shown)
    return re.sub(r"（区分处理的[^）]*）", "", shown)


def where(table: str, row_key: str, row_label: str, column_label: str | None) -> str:
    """表三“本年新收”行“总计”列."""
    column = f"“{column_label}”列" if column_label else ""
    return f"表{table}“{short_row(row_key, row_label)}”行{column}"
