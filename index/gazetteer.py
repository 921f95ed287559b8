"""Body names (机关名称) held in the store, matched in questions by full and short forms.

Aliases of a body: its name as written in the report, its usual short form, the short form without the
administrative suffix (桥头胡 for 桥头胡街道), 街道办事处 for 街道, common abbreviations (发改局 for 发展和改革局),
and the name with its place shortened or left out (沭阳发改局, 县发改局, 上海科委, 市科委). A question is matched by
looking up its substrings, so the cost does not grow with the number of bodies; a name written with one character
different (沭阳/沐阳, an OCR slip) is matched as a fallback.

An alias without the body's place (市科委, 发展和改革局) stands for that body only where the question does not put
another place in front of it: 北京市科委 and 宿迁市发展和改革局 are other bodies, which the store does not hold.
"Another place" is a place name of jieba's dictionary (北京, 宿迁市), so 我想了解市科委 is still 上海市科委.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

__all__ = ["Gazetteer", "aliases_of"]

_ABBREVIATIONS = (("发展和改革", "发改"), ("人力资源和社会保障", "人社"), ("住房和城乡建设", "住建"), ("科学技术委员会", "科委"),
                  ("人民政府", "政府"), ("生态环境", "环保"), ("市场监督管理", "市场监管"), ("自然资源和规划", "自然资源"))
_SUFFIXES = ("街道办事处", "街道", "办事处", "镇人民政府", "乡人民政府", "镇", "乡")
_GENERIC = {"政府", "人民政府", "街道", "办公厅", "办公室", "委员会", "发改局", "科委"}
FUZZY_MIN_LEN = 5


_PLACE = re.compile(r"^([\u4e00-\u9fff]{1,6}?(?:自治区|省|市|县|区|旗))(?=[\u4e00-\u9fff]{2,})")
_LEVEL = re.compile(r"(?:自治区|自治州|省|市|州|盟|县|区|旗)$")
_LOCAL = re.compile(r"^(?:[\u4e00-\u9fff]{1,8}?(?:省|自治区|市|州|盟|县|区|旗))+(?P<name>[\u4e00-\u9fff]{2,6}?(?:街道|镇|乡))$")


# the end of the words a question may open with before a name: 告诉我|市科委, 查一下|市科委, 2024年度|市科委, 我想|…
_LEAD_IN_END = re.compile(r"(?:[我你您下问的了吗呢是在和与跟对给把向请查看说找年度中里想要能]|全部|一共|汇总|历年|数据|谢谢|"
                          r"时候|全市|本市|全县|本县|全区|本区|全国|年报|报告)$")


@lru_cache(maxsize=1)
def _dictionary() -> tuple[frozenset[str], frozenset[str]]:
    """From jieba's dictionary: the place names (part of speech ns: 北京, 宿迁市, 渝北), and the two- and
    three-character words that cannot be a place (verbs, pronouns, adverbs, numerals …: 了解, 那么, 一下)."""
    import jieba

    places, others = set(), set()
    with open(Path(jieba.__file__).with_name("dict.txt"), encoding="utf-8") as dictionary:
        for line in dictionary:
            parts = line.split()
            if len(parts) != 3:
                continue
            word, _, tag = parts
            if tag == "ns":
                places.add(word)
            elif 2 <= len(word) <= 3 and tag[0] not in "nsjxghk":
                others.add(word)
    return frozenset(places), frozenset(others)


def _place_stems(*names: str) -> set[str]:
    """The places that open a body's names, without their level: 上海 for 上海市科委, 沭阳 for 沭阳县发改局."""
    stems = set()
    for name in names:
        if match := _PLACE.match(name):
            stem = _LEVEL.sub("", match[1])
            if len(stem) >= 2:
                stems.add(stem)
    return stems


def aliases_of(body: str, body_full: str) -> set[str]:
    """Names a user may write for a body; see the module docstring."""
    names = {body, body_full}
    for long, short in _ABBREVIATIONS:  # both directions: 发展和改革局 <-> 发改局, 科委 <-> 科学技术委员会
        for name in list(names):
            if long in name:
                names.add(name.replace(long, short))
            elif short in name and short != "政府":
                names.add(name.replace(short, long))
    if local := _LOCAL.match(body):  # 临江市江北区东湖街道 -> 东湖街道 (dropped where two bodies share it)
        names.add(local["name"])
    for name in list(names):
        for suffix in _SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                stem = name[: -len(suffix)]
                names.add(stem)
                if suffix == "街道":
                    names.update({stem + "街道办事处", stem + "街道办"})
        if re.search(r"[县市区旗]人民政府$", name):
            names.add(name[: -len("人民政府")])  # 沭阳县人民政府 -> 沭阳县
        match = _PLACE.match(name)
        if match and name[match.end():] not in ("人民政府", "政府", "人民政府办公室"):  # 上海市科委 -> 市科委
            rest = name[match.end():]
            level = match[1][-1]
            names.add(level + rest)
            if len(rest) >= 4:
                names.add(rest)
            stem = _LEVEL.sub("", match[1])
            if len(stem) >= 2:
                names.add(stem + rest)  # 沭阳县发改局 -> 沭阳发改局, 上海市科委 -> 上海科委
    return {n for n in names if len(n) >= 2 and n not in _GENERIC}


class Gazetteer:
    def __init__(self, bodies: Iterable[tuple[str, str]]):
        """``bodies``: (short name, name as written) of every report in the store."""
        self.alias_to_bodies: dict[str, set[str]] = defaultdict(set)
        self.bodies: set[str] = set()
        self.places: dict[str, set[str]] = defaultdict(set)  # body -> its place stems
        for body, full in bodies:
            self.bodies.add(body)
            self.places[body] |= _place_stems(body, full)
            for alias in aliases_of(body, full):
                self.alias_to_bodies[alias].add(body)
        self.max_len = max((len(a) for a in self.alias_to_bodies), default=0)
        self._held_places = {stem for stems in self.places.values() for stem in stems}
        self._wildcards: dict[str, set[str]] | None = None

    def match(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, body) in ``text``, longest first; an alias shared by two bodies is skipped."""
        return self.match_detail(text)[0]

    def match_detail(self, text: str) -> tuple[list[tuple[int, int, str]], list[str]]:
        """The matches, and the names of other places' bodies met on the way (北京市科委: not 上海市科委)."""
        found: list[tuple[int, int, str]] = []
        others: list[str] = []
        taken = [False] * len(text)
        for length in range(min(self.max_len, len(text)), 1, -1):
            for start in range(len(text) - length + 1):
                if any(taken[start:start + length]):
                    continue
                bodies = self.alias_to_bodies.get(text[start:start + length])
                if bodies and len(bodies) == 1:
                    body = next(iter(bodies))
                    alias = text[start:start + length]
                    if place := self._other_place(text, start, alias, body):
                        others.append(place + alias)
                    else:
                        found.append((start, start + length, body))
                    for i in range(start, start + length):  # another place's body: no shorter alias inside it
                        taken[i] = True
        return sorted(found), others

    def _other_place(self, text: str, start: int, alias: str, body: str) -> str | None:
        """The place written before ``alias`` when the alias leaves out the body's place and that place is another
        one (北京 before 市科委, 宿迁市 before 发展和改革局); else None."""
        stems = self.places.get(body)
        if not stems or any(stem in alias for stem in stems):
            return None
        run = re.search(r"[\u4e00-\u9fff]+$", text[:start])
        if not run:
            return None
        before = run[0]
        places, others = _dictionary()
        if _LEVEL.match(alias[:1]):  # 市科委: a place is written before it without its level (北京|市科委)
            stem, level, after = before, "", alias[0]
        elif _LEVEL.search(before):  # 发展和改革局: a whole place with its level before it (宿迁市|发展和改革局)
            stem = _LEVEL.sub("", before)
            level = after = before[len(stem):]
        else:  # a place written without its level (宿迁|发展和改革局, 北京|政府办公厅): only a dictionary place
            for size in range(min(len(before), 8), 1, -1):
                place = before[-size:]
                if {place, place + "市", place + "县", place + "省"} & places or place in self._held_places:
                    return None if any(place.endswith(own) for own in stems) else place
            return None
        for size in range(min(len(stem), 8), 1, -1):  # a place name of the dictionary, or a held body's place
            place = stem[-size:]
            if place in places or place + after in places or place in self._held_places:
                return None if any(place.endswith(own) for own in stems) else place + level
        # No dictionary place: the two characters before count as one (三沙, 东方), unless they end the words a
        # question opens with (我想了解, 帮我查一下, 那么, 请问).
        tail = stem[-2:]
        if len(tail) < 2 or _LEAD_IN_END.search(stem) or tail in others or stem[-3:] in others:
            return None
        return None if any(tail.endswith(own) for own in stems) else tail + level

    def match_fuzzy(self, text: str, min_len: int = FUZZY_MIN_LEN) -> list[tuple[int, int, str]]:
        """A body written with exactly one character different (沐阳/沭阳 in an OCR text).

        Only names of ``min_len`` characters or more: in a short name one character is half the name (西柳街道 is
        not 东柳街道), so a short near-miss is offered as a suggestion, never answered.
        """
        if self._wildcards is None:
            self._wildcards = defaultdict(set)
            for alias, bodies in self.alias_to_bodies.items():
                if len(alias) >= 3:
                    for i in range(len(alias)):
                        self._wildcards[alias[:i] + "*" + alias[i + 1:]].update(bodies)
        found = []
        for length in range(min(self.max_len, len(text)), max(min_len, 3) - 1, -1):
            for start in range(len(text) - length + 1):
                window = text[start:start + length]
                for i in range(length):
                    bodies = self._wildcards.get(window[:i] + "*" + window[i + 1:])
                    if bodies and len(bodies) == 1 and not self._other_place(text, start, window, next(iter(bodies))):
                        found.append((start, start + length, next(iter(bodies))))
                        return found
        return found


_MENTION = re.compile(r"([\u4e00-\u9fff]{1,12})(委员会|办公厅|办公室|街道办事处|街道|人民政府|政府|局|委|镇|乡|县|区|市)")
_NOT_NAMES = re.compile(r"^(各|哪个|哪些|哪|所有|全部|全|每个|每|本|我|该|这|那|其他|其它|下属|一共|总共|"
                        r"前[一二两三四五六七八九十\d]+个?|[一二两三四五六七八九十\d]+个|几个|多个|若干|第|倒数|排名|排在)")
_NOISE = re.compile(r"\d|年|多少|几|申请|公开|信息|收到|问题|措施|情况|哪|什么|怎么|如何|是否|有没有|的")


def unknown_mention(text: str, gazetteer: Gazetteer) -> str | None:
    """A body-like name in the question (朝阳门街道, 上海市教育委员会) that matches nothing in the store, else None."""
    for segment in re.split(r"[和与及、，,；;？?。跟同或]", text):
        for match in _MENTION.finditer(segment):
            stem = _NOISE.split(match[1])[-1]  # "2025年沭阳县" -> "沭阳县"
            name = stem + match[2]
            if len(stem) < 2 or _NOT_NAMES.match(name) or _NOT_NAMES.match(match[1][-2:]):
                continue  # "哪个街道", "各街道", "本局"
            if not gazetteer.match(name):
                return name
    return None
