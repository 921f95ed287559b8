"""Report metadata from the content, never from the file name: title, body (机关名称), year, template format."""
from __future__ import annotations

import re
from collections import Counter

from .model import Paragraph

__all__ = ["find_title", "body_from_title", "find_body", "find_year", "find_format", "short_body", "chinese_year"]

_BODY_SUFFIX = (r"街道办事处|街道|镇人民政府|乡人民政府|人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|"
                r"管理局|局|委|厅|中心|镇|乡|院|署|会")
_TITLE_WORD = re.compile(r"年度报告|年报|工作报告")
_BREADCRUMB = re.compile(r"当前位置|现在的位置|您的位置|[>＞»›]")
_CN_DIGITS = {"〇": "0", "○": "0", "零": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
              "六": "6", "七": "7", "八": "8", "九": "9"}
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_SIGNATURE_DATE = re.compile(r"\s*[（(]?((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*\d{1,2}\s*日[)）]?\s*$")
_PERIOD = re.compile(r"统计(?:期限|周期|时限|期间|区间|时间|范围)[^。]{0,30}?((?:19|20)\d{2})\s*年\s*0?1\s*月\s*0?1\s*日")


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def chinese_year(text: str) -> str:
    """二〇二〇年 -> 2020年 (only four-numeral runs before 年); full-width digits as ASCII."""
    text = text.translate(_FULL_WIDTH_DIGITS)
    return re.sub(r"([〇○零一二三四五六七八九Ｏ]{4})(?=\s*年)", lambda m: "".join(_CN_DIGITS[c] for c in m[1]), text)


def find_title(blocks, hint: str | None) -> str | None:
    """The report's title: a title the container states when it names a year's report (a page's 标题, an h1), else
    the first lines up to one naming the report (…年度报告), before any section text."""
    if hint and _TITLE_WORD.search(hint) and re.search(r"(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4}", hint):
        return re.split(r"\s*[-_|–—]\s*(?=[^-_|–—]*$)", hint.strip())[0]
    lines: list[str] = []
    for block in blocks[:8]:
        if not isinstance(block, Paragraph):
            break
        text = block.text.strip().lstrip("#").strip()
        if text in ("正文", "目录") or not text or _BREADCRUMB.search(text):
            continue  # "当前位置：首页 > 政府信息公开 > 年度报告" in text saved from a web page
        if len(text) > 60 or re.match(r"^[一二三四五六七八九十]、", text) or "。" in text:
            break
        lines.append(text)
        if _TITLE_WORD.search(text):
            return _join_title(lines[-3:])
    if hint:
        return re.split(r"\s*[-_|–—]\s*(?=[^-_|–—]*$)", hint.strip())[0] if _TITLE_WORD.search(hint) else hint.strip()
    return None


def _join_title(lines: list[str]) -> str:
    # keep only the run of lines that belong to the title: a date or a 文号 line before it is dropped
    kept = [line for line in lines if not re.fullmatch(r"[（(]?\d{4}\s*年.*日[)）]?", line)]
    return "".join(kept) if all(len(line) <= 30 for line in kept) else kept[-1]


def body_from_title(title: str) -> str | None:
    """The body named in a title: the text before 政府信息公开 / 年度报告, without the year and 关于."""
    text = chinese_year(re.sub(r"\s+", "", title))
    text = re.sub(r"(?:19|20)\d{2}年度?|关于|（[^）]*）|\([^)]*\)", "", text)
    match = re.match(r"^(.*?)(?:政府信息公开|政务公开|信息公开|年度报告|年报)", text)
    name = (match[1] if match else "").strip("的之")
    return name if len(name) >= 2 else None


def short_body(name: str) -> str:
    """The usual short form: the body after its parent government, 街道办事处 as 街道.

    重庆市渝北区人民政府王家街道办事处 -> 王家街道; 柴桥街道办事处 -> 柴桥街道; 沭阳县发展和改革局 unchanged.
    """
    match = re.match(r"^.+?人民政府(.+(?:街道办事处|街道|镇|乡|办公厅|办公室|局|委员会))$", name)
    if match and not match[1].startswith(("办公厅", "办公室")):
        name = match[1]
    # 临江县青山镇人民政府 -> 临江县青山镇. The place stays: 城关镇 is a town in hundreds of counties, and the short
    # name is a report's identity (the gazetteer also answers to 青山镇 where only one body is called so).
    name = re.sub(r"(?<=[镇乡])人民政府$", "", name)
    return re.sub(r"街道办事处$", "街道", name)


def find_body(blocks, title: str | None) -> tuple[str, str] | None:
    """(short name, name as written) from the title, else the signature, else the opening text's "…公布X2021年度
    政府信息公开工作年度报告", else the name the text uses most."""
    if title and (name := body_from_title(title)):
        return short_body(name), name
    paragraphs = [b.text.strip() for b in blocks if isinstance(b, Paragraph)]
    for line in reversed(paragraphs[-6:]):
        text = _SIGNATURE_DATE.sub("", line).strip()  # "临江市江北区人民政府办公室 2022年1月20日" on one line
        if 2 <= len(text) <= 30 and "。" not in text and re.search(r"(" + _BODY_SUFFIX + r")$", text) \
                and not re.match(r"^[一二三四五六七八九十（(]", text):
            return short_body(text), text
    for text in paragraphs[:6]:
        if name := _named_in_opening(text):
            return short_body(name), name
    return _most_named(" ".join(paragraphs))


# "现向社会公布临江市市场监督管理局2021年度政府信息公开工作年度报告": the body right before the report's year
_NAMED_REPORT = re.compile(r"(?:公布|发布|编制|编写|形成|现将)(?P<name>[\u4e00-\u9fff]{2,30}?)(?:19|20)\d{2}年度?"
                           r"(?:政府信息公开|政务公开|信息公开)")


def _named_in_opening(text: str) -> str | None:
    """The body an opening sentence names its report for; the words before the name (编制了, 特此公布) dropped, and
    nothing when the name is a pronoun's (我县人民政府)."""
    match = _NAMED_REPORT.search(re.sub(r"\s+", "", chinese_year(text)))
    if not match:
        return None
    name = re.sub(r"^(?:了|并|出|公布|发布|编制|编写|形成|现将)+", "", match["name"])  # 编制并公布了X…
    if len(name) < 3 or _NOT_A_NAME.search(name) or not re.search(r"(?:" + _BODY_SUFFIX + r")$", name):
        return None
    return name


# Pronoun-like characters never start or sit inside a body name; connectors such as 和 may (和平街道), and the
# leftward growth below stops at them anyway because "制定和平街道" occurs less often than "和平街道".
_NOT_A_NAME = re.compile(r"[我本全各该此每]")


def _most_named(text: str) -> tuple[str, str] | None:
    """The X街道 / X镇 / X乡 the text names most, grown leftwards while the longer form keeps most occurrences."""
    counts: Counter[tuple[str, str]] = Counter()  # (name before the suffix, suffix)
    for suffix in ("街道", "镇", "乡"):
        for match in re.finditer(suffix, text):
            p = match.start()
            for k in range(2, 6):
                prefix = text[max(p - k, 0):p]
                if len(prefix) < k or not re.fullmatch(r"[\u4e00-\u9fff]+", prefix) or _NOT_A_NAME.search(prefix):
                    break
                counts[(prefix, suffix)] += 1
    bases = [c for c in counts if len(c[0]) == 2]
    if not bases:
        return None
    prefix, suffix = max(bases, key=lambda c: counts[c])
    if counts[(prefix, suffix)] < 2:
        return None
    while True:
        longer = [c for c in counts if c[1] == suffix and len(c[0]) == len(prefix) + 1 and c[0].endswith(prefix)]
        best = max(longer, key=lambda c: counts[c], default=None)
        if best is None or counts[best] < 0.6 * counts[(prefix, suffix)]:
            return prefix + suffix, prefix + suffix
        prefix = best[0]


def find_year(blocks, title: str | None) -> int | None:
    """The statistics period's year; else the title's; else the year before a signature dated in the first half
    of a year (reports are due by 31 January); else the year the opening text names most."""
    paragraphs = [b.text for b in blocks if isinstance(b, Paragraph)]
    joined = "\n".join(paragraphs)
    if match := _PERIOD.search(re.sub(r"\s+", "", chinese_year(joined))):
        return int(match[1])
    if title and (match := _YEAR.search(chinese_year(title))):
        return int(match[1])
    for text in reversed(paragraphs[-6:]):  # the signature's date: a line that is a date, or a name and a date
        line = chinese_year(text.strip())
        if (match := _SIGNATURE_DATE.search(line)) and len(line) <= 40 and not re.search(r"[，。；]", line):
            if int(match[2]) <= 6:  # reports are due by 31 January: signed early in the year after
                return int(match[1]) - 1
            break
    opening = Counter(int(m[1]) for text in paragraphs[:12] for m in _YEAR.finditer(chinese_year(text)))
    named = opening.most_common(1)[0][0] if opening else None
    return named


_CUES_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额", "逾期不补正", "缴纳费用",
              "〔2021〕30号", "[2021]30号")
_CUES_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "采购项目数量", "采购总金额",
              "〔2019〕60号", "[2019]60号")


def find_format(text: str, year: int | None) -> str:
    """2019 or 2021 template, by the column headers and rows only one of them has; by year where they are silent."""
    folded = re.sub(r"\s+", "", text)
    score_2021 = sum(cue in folded for cue in _CUES_2021)
    score_2019 = sum(cue in folded for cue in _CUES_2019)
    if score_2021 != score_2019:
        return "2021" if score_2021 > score_2019 else "2019"
    return "2021" if (year or 0) >= 2021 else "2019"
