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

__all__ = ["common_word", "Gazetteer", "aliases_of", "same_sound"]

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


def common_word(text: str) -> bool:
    """A two-character word of the dictionary (办理, 局面): a name's last character does not open one."""
    return text in _two_character_words()


@lru_cache(maxsize=1)
def _two_character_words() -> frozenset[str]:
    import jieba

    with open(Path(jieba.__file__).with_name("dict.txt"), encoding="utf-8") as dictionary:
        return frozenset(word for word, *_ in (line.split() for line in dictionary) if len(word) == 2)


def _place_stems(*names: str) -> set[str]:
    """The places that open a body's names, without their level: 上海 for 上海市科委, 沭阳 for 沭阳县发改局, 重庆 and
    渝北 for 重庆市渝北区人民政府王家街道办事处."""
    stems = set()
    for name in names:
        if match := _PLACE.match(name):
            stem = _LEVEL.sub("", match[1])
            if len(stem) >= 2:
                stems.add(stem)
        for place in _places(name)[0]:
            stems |= {form for form in _place_forms(place) if len(form) >= 2 and not _LEVEL.search(form)}
    return stems


_PLACE_RUN = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:自治区|自治州|自治县|省|市|州|盟|地区|县|区|旗)")
_ZONE = re.compile(r"(?:综合实验|经济技术开发|高新技术产业开发|高新技术开发|高新|经济开发|开发|新|实验|片)区$")
_NOT_PLACES = {"城市", "都市", "门市", "超市", "集市", "城区", "社区", "园区", "景区", "小区", "辖区", "片区", "地区"}
_GENERIC_CORE = {"人民政府", "政府", "管理局", "管委会", "管理委员会", "办事处", "街道办事处"}
_CONNECTOR = re.compile(r"[和与及、]")


def _places(name: str) -> tuple[list[str], str]:
    """The places a name opens with, outermost first, and the rest: 淮安市洪泽区人民政府 -> [淮安市, 洪泽区], 人民政府;
    平潭综合实验区公安局 -> [平潭综合实验区], 公安局."""
    places: list[str] = []
    rest = name
    while (match := _PLACE_RUN.match(rest)) and len(rest) - match.end() >= 2 or (match and not places and
                                                                                  rest == match[0]):
        if match[0] in _NOT_PLACES or rest[match.end():].startswith("场"):
            break  # 城市管理局, 市场监督管理局: words that end in a level character, not places
        places.append(match[0])
        rest = rest[match.end():]
        if not rest:
            break
    return places, rest


def _place_forms(place: str) -> set[str]:
    """A place as people write it: 淮安市 / 淮安, 平潭综合实验区 / 平潭实验区 / 平潭, 洪泽区 / 洪泽."""
    forms = {place}
    stem = _LEVEL.sub("", place)
    if len(stem) >= 2 and not _ZONE.search(place):
        forms.add(stem)
    if zone := _ZONE.search(place):
        short = place[:zone.start()]
        if len(short) >= 2:
            forms |= {short, short + "区", short + "实验区" if "实验" in zone[0] else short}
    return forms


def _initials(core: str) -> str | None:
    """The usual abbreviation of a bureau's name: the first character of its first words (民族与宗教事务局 -> 民宗局,
    城市管理局 -> 城管局, 国有资产管理局 -> 国资局); None when the name is too short to abbreviate."""
    match = re.match(r"^([\u4e00-\u9fff]+?)(局|委员会|委|办公室|厅|中心)$", core)
    if not match or len(match[1]) < 4:
        return None
    chunks = [c for c in _CONNECTOR.split(match[1]) if c]
    if len(chunks) >= 2:
        letters = "".join(c[0] for c in chunks[:2])
    else:
        words = [match[1][i:i + 2] for i in range(0, len(match[1]), 2)]
        letters = words[0][0] + words[1][0] if len(words) >= 2 else ""
    return letters + ("委" if match[2] == "委员会" else match[2]) if len(letters) == 2 else None


def _core_forms(core: str) -> set[str]:
    """A body's name after its places, as people write it (see ``aliases_of``)."""
    forms = {core}
    for long, short in _ABBREVIATIONS:
        for form in list(forms):
            if long in form:
                forms.add(form.replace(long, short))
    if initials := _initials(core):
        forms.add(initials)
    if re.search(r"[\u4e00-\u9fff]{2}管理局$", core) and not core.startswith("管理"):
        forms.add(core[:-3] + "局")  # 应急管理局 -> 应急局
    if (match := re.match(r"^([\u4e00-\u9fff]{2,6}?)[和与及]([\u4e00-\u9fff]{2,8}?)(局|委员会|委)$", core)):
        forms.add(match[1] + match[3])  # 自然资源与生态环境局 -> 自然资源局
    for long, shorts in (("人民政府办公室", ("政府办公室", "政府办", "府办")), ("人民政府办公厅", ("政府办公厅", "府办")),
                         ("管委会办公室", ("管委会办", "管委办")), ("市场监督管理局", ("市场监管局", "市监局"))):
        if core.endswith(long):
            forms |= {core[:-len(long)] + short for short in shorts}
    return forms


def aliases_of(body: str, body_full: str) -> set[str]:
    """Names a user may write for a body; see the module docstring. Each name is split into its places and the rest
    (``_places``); every way of writing the places (all, the inner ones only, none; each in full or short) goes with
    every way of writing the rest (abbreviated: 发改局, 民宗局, 城管局, 应急局; a place's own government or office by
    the place alone: 洪泽区, 苏平片区)."""
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
        places, core = _places(name)
        if places:
            cores = _core_forms(core) if core else set()
            if not core or core in _GENERIC_CORE or any(core.endswith(g) and len(core) == len(g) for g in _GENERIC_CORE):
                cores.add("")  # 洪泽区人民政府 -> 洪泽区; 苏平片区管理局 -> 苏平片区
            for k in range(len(places)):
                for prefix in _prefixes(places[k:]):
                    for form in cores:
                        if form or "" in cores:
                            names.add(prefix + form)
            if core and len(core) >= 4 and core not in _GENERIC_CORE:
                names.add(core)
            names |= {form for form in cores if len(form) >= 5}  # 自然资源局, 市场监管局 (a place written before
            # them elsewhere in the question, or none: the place of the body they stand beside)
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
    return {n for n in names if len(n) >= 2 and n not in _GENERIC and not _PLACE_ONLY_GENERIC.fullmatch(n)}


_PLACE_ONLY_GENERIC = re.compile(r"(?:省|市|县|区|州)?(?:人民政府|政府|管理局|管委会)")


def _prefixes(places: list[str]) -> set[str]:
    """Every way of writing a run of places: each in full or short, the outer ones optional after the first."""
    out = {""}
    for place in places:
        out = {p + form for p in out for form in _place_forms(place)}
    return out


class Gazetteer:
    def __init__(self, bodies: Iterable[tuple[str, str]]):
        """``bodies``: (short name, name as written) of every report in the store."""
        self.alias_to_bodies: dict[str, set[str]] = defaultdict(set)
        self.bodies: set[str] = set()
        self.places: dict[str, set[str]] = defaultdict(set)  # body -> its place stems
        bodies_list = list(bodies)
        for body, full in bodies_list:
            self.bodies.add(body)
            self.places[body] |= _place_stems(body, full)
            for alias in aliases_of(body, full):
                self.alias_to_bodies[alias].add(body)
        self.max_len = max((len(a) for a in self.alias_to_bodies), default=0)
        # every place a held body's name opens with, in each way of writing it -> the place as the names write it
        # (莆田 -> 莆田市, 平潭 -> 平潭综合实验区, 洪泽 -> 淮安市洪泽区): the bodies of a place are those names
        self.place_prefix: dict[str, str] = {}
        for body, _ in bodies_list:
            places = _places(body)[0]
            for k in range(len(places)):
                written = "".join(places[:k + 1])
                for form in _prefixes(places[k:k + 1]) | _prefixes(places[:k + 1]):
                    if len(form) >= 2:
                        self.place_prefix.setdefault(form, written)
        # a body that is a place's own (平潭综合实验区, 淮安市人民政府): the ways of writing its place alone
        self.place_forms: dict[str, set[str]] = {}
        for body, full in bodies_list:
            places, core = _places(body)
            if places and (not core or core in _GENERIC_CORE):
                self.place_forms.setdefault(body, set()).update(*(_prefixes(places[k:]) for k in range(len(places))))
        self._held_places = {stem for stems in self.places.values() for stem in stems}
        self._halves: dict[tuple[int, int, str], list[str]] | None = None  # see match_fuzzy
        self._near: dict[str, dict[int, set[tuple[str, str]]]] = {}

    def named(self, name: str) -> list[str]:
        """The held bodies ``name`` stands for, as a user types it to a command (/check 桥头胡, 莆田): the body
        itself, one body by any of its names or by one slip of a character, or every body of a place; else []."""
        name = re.sub(r"\s+", "", name)
        if name in self.bodies:
            return [name]
        if (place := self.place_prefix.get(name)) and len(of_place := sorted(b for b in self.bodies
                                                                             if b.startswith(place))) > 1:
            return of_place  # 平潭, 淮安: the place's own body and every body of the place
        found = self.match(name)
        if len(found) == 1 and found[0][1] - found[0][0] >= len(name) - 2:
            return [found[0][2]]  # 桥头胡, 桥头胡街道办事处
        if place:
            return of_place
        if body := self.abbreviated(name):
            return [body]  # 平潭资源生态局
        fuzzy = self.match_fuzzy(name)
        if len(fuzzy) == 1 and fuzzy[0][1] - fuzzy[0][0] >= len(name) - 2:
            return [fuzzy[0][2]]
        return []

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
                if bodies and len(bodies) == 1 and _verb_after(text, start + length) \
                        and self.alias_to_bodies.get(text[start:start + length - 1]) == bodies:
                    continue  # 桥头胡街道|办结率: 办 starts the next word; the shorter name is read below
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

    def match_fuzzy(self, text: str, min_len: int = FUZZY_MIN_LEN, sound: bool = True,
                    within: tuple[int, int] | None = None) -> list[tuple[int, int, str]]:
        """A body written with exactly one character different: any character in a name of ``min_len`` characters
        or more (沐阳/沭阳, an OCR slip), and with ``sound`` a character of the same sound in a name of three or more
        (左家桩 for 左家庄, 桥头湖 for 桥头胡: what a pinyin keyboard slips into). ``within``: only windows that
        overlap these offsets.

        A short name written with another sound is not taken (西柳街道 is not 东柳街道): the caller offers it as a
        suggestion, never answers it.
        """
        if self._halves is None:
            # An alias one character away from a window keeps one of its halves whole: index each alias under
            # both halves (two keys an alias, built in milliseconds), and compare the few that share one.
            self._halves = defaultdict(list)
            for alias in self.alias_to_bodies:
                if len(alias) >= 3:
                    half = len(alias) // 2
                    self._halves[(len(alias), 0, alias[:half])].append(alias)
                    self._halves[(len(alias), 1, alias[half:])].append(alias)
        found = []
        for length in range(min(self.max_len, len(text)), 2, -1):
            half = length // 2
            for start in range(len(text) - length + 1):
                if within and not (start < within[1] and start + length > within[0]):
                    continue  # only a window over the words left unexplained
                window = text[start:start + length]
                at = self._one_away(window, half)
                for i in range(length):
                    if not "\u4e00" <= window[i] <= "\u9fff":
                        continue  # a digit or a mark is no slip of a name's character (平潭公安|2022年)
                    candidates = at.get(i)
                    if not candidates or len({body for body, _ in candidates}) != 1:
                        continue
                    body, char = next(iter(candidates))
                    if not (length >= min_len or (sound and same_sound(char, window[i]))):
                        continue
                    if i in (0, length - 1) and body in self.alias_to_bodies.get(window[1:] if i == 0 else window[:-1], ()):
                        continue  # the exact name and the next word (王家街道|通过), not a slip of 王家街道办
                    if not self._other_place(text, start, window, body):
                        found.append((start, start + length, body))
                        return found
        return found


    def _one_away(self, window: str, half: int) -> dict[int, set[tuple[str, str]]]:
        """For each position of ``window``, the (body, character) of the aliases that differ from it there only
        (an alias equal to the window counts at every position)."""
        cached = self._near.get(window)
        if cached is not None:
            return cached
        at: dict[int, set[tuple[str, str]]] = defaultdict(set)
        for alias in set(self._halves.get((len(window), 0, window[:half]), ())) | \
                set(self._halves.get((len(window), 1, window[half:]), ())):
            differ = [i for i, (a, b) in enumerate(zip(alias, window)) if a != b]
            if len(differ) > 1:
                continue
            for i in differ or range(len(window)):
                at[i].update((body, alias[i]) for body in self.alias_to_bodies[alias])
        if len(self._near) > 100_000:  # windows recur (the names people type): keep the recent ones
            self._near.clear()
        self._near[window] = at
        return at

    def abbreviated(self, name: str) -> str | None:
        """The one held body ``name`` abbreviates, its place written as the body's: characters left out of the
        body's own name, in order, its last character (局, 委, 办) kept (平潭资源生态局: 平潭综合实验区自然资源与生态环境局;
        平潭应急局 when the held one is 综合执法与应急管理局), or the name's opening words alone (平潭公安, 平潭社会事业);
        else None. Two characters or more of the name itself are kept, not only its kind (上海市办公厅 names no
        office); a body whose name has no place is not abbreviated (桥头街道 is not 桥头胡街道)."""
        found = set()
        for body in self.bodies:
            places, core = _places(body)
            if not places or not core or core in _GENERIC_CORE:
                continue
            for prefix in sorted(_prefixes(places), key=len, reverse=True):
                if not prefix or not name.startswith(prefix):
                    continue
                rest = name[len(prefix):]
                own = _KIND.sub("", rest)  # the name without its kind: 资源生态 of 资源生态局
                if len(own) >= 2 and rest != core and (core.startswith(rest) or rest[-1] == core[-1]
                                                       and _in_order(rest, core)):
                    found.add(body)
                break
        return next(iter(found)) if len(found) == 1 else None


_KIND = re.compile(r"(?:委员会|管委会|办公室|办公厅|管理局|事务局|局|委|办|厅|中心|室)$")

_BAN_VERBS = ("办结", "办理", "办件", "办复", "办法", "办公")


def _verb_after(text: str, end: int) -> bool:
    """A name ending in 办 (街道办, 政府办) whose 办 begins a word with what follows (办结率, 办理情况)."""
    return text[end - 1:end] == "办" and text[end - 1:end + 1] in _BAN_VERBS


@lru_cache(maxsize=4096)
def _sound(char: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(char, style=Style.NORMAL, errors="ignore")[0] if "\u4e00" <= char <= "\u9fff" else char


def _in_order(short: str, long: str) -> bool:
    """Every character of ``short`` in ``long``, in the same order."""
    chars = iter(long)
    return all(c in chars for c in short)


def same_sound(a: str, b: str) -> bool:
    """Two characters read alike, tones aside (庄/桩 zhuang, 胡/湖 hu): a slip of a pinyin keyboard."""
    return a != b and _sound(a) == _sound(b) != ""


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
