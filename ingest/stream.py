"""A document as one character stream, for reading tables whatever their layout.

Real reports lose their lines, separators and cells in every way there is: a web page copied as one long line
(`规范性文件898989`), one cell per line, labels broken over lines (`三、/本/年/度…`), spaces that fall anywhere. What
survives is the order of the template's labels and the digits between them. :func:`stream_of` folds a document
into one normalised string in which

- labels read as in :func:`ingest.template.normalize_label` (NFKC, full-width brackets, ``、`` as ``.``), with no
  white space inside or around words;
- white space between two numbers survives as one space: a place where one cell may end and the next begin; a
  table's own cell boundary (a tab between two cells of a row) survives as ``|``: there one cell ends for sure, and a
  cell holds one number;
- every character keeps the offset of the raw character it came from, so a cell's raw text is the source's own.

:func:`value_run` reads the numbers written right after a label.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from .model import Paragraph

__all__ = ["Stream", "stream_of", "fold", "value_run", "tokens_of", "ValueRun"]

_FULLWIDTH = {"(": "（", ")": "）", "．": ".", "、": ".", "，": ",", "：": ":", "“": '"', "”": '"', "﹝": "〔", "﹞": "〕",
              "−": "-", "－": "-", "＋": "+"}
_NUMERIC = set("0123456789.+-")


@dataclass(frozen=True)
class Stream:
    text: str  # normalised
    origin: tuple[int, ...]  # for every character of ``text``, the offset of its source character in ``raw``
    raw: str

    def raw_between(self, start: int, end: int) -> str:
        """The source text behind ``text[start:end]``."""
        if start >= end:
            return ""
        return self.raw[self.origin[start]:self.origin[end - 1] + 1]


def fold(raw: str) -> Stream:
    """Normalise ``raw`` character by character (see the module docstring), keeping offsets.

    Most of a document is characters that fold to themselves (CJK, ASCII; ``_PLAIN``): each run of them is copied
    whole, its offsets a range. White space and the characters between those runs go one by one."""
    out: list[str] = []
    origin: list[int] = []
    last = ""  # the last character written
    pending_space = -1  # offset of a white-space run not yet written
    pending_tab = False
    position = 0
    for run in itertools.chain(_PLAIN.finditer(raw), (None,)):
        for i in range(position, run.start() if run else len(raw)):
            char = raw[i]
            if char.isspace():
                if pending_space < 0:
                    pending_space, pending_tab = i, False
                pending_tab = pending_tab or char == "\t"
                continue
            for piece in _fold_char(char):
                if pending_space >= 0:
                    if last in _NUMERIC and piece in _NUMERIC:
                        out.append("|" if pending_tab else " ")
                        origin.append(pending_space)
                    pending_space = -1
                out.append(piece)
                origin.append(i)
                last = piece
        if run is None:
            break
        text = run[0]
        if pending_space >= 0:
            if last in _NUMERIC and text[0] in _NUMERIC:
                out.append("|" if pending_tab else " ")
                origin.append(pending_space)
            pending_space = -1
        out.append(text)
        origin.extend(range(run.start(), run.end()))
        last, position = text[-1], run.end()
    return Stream("".join(out), tuple(origin), raw)


def _fold_char(char: str) -> str:
    """One character as NFKC and ``_FULLWIDTH`` fold it (each piece of its NFKC form keeps its offset)."""
    folded = _FOLDED.get(char)
    if folded is None:
        folded = _FOLDED[char] = "".join(_FULLWIDTH.get(p, p) for p in unicodedata.normalize("NFKC", char))
    return folded


_FOLDED: dict[str, str] = {}


def _plain_class() -> str:
    """The characters that fold to themselves, as a regular-expression class: CJK ideographs, and the ASCII and
    CJK punctuation NFKC leaves as it is and ``_FULLWIDTH`` does not map (checked here, not assumed)."""
    candidates = [chr(c) for c in (*range(0x21, 0x7F), *range(0x2010, 0x2060), *range(0x3001, 0x3040))]
    kept = "".join(c for c in candidates if not c.isspace() and c not in _FULLWIDTH
                   and unicodedata.normalize("NFKC", c) == c)
    assert all(unicodedata.normalize("NFKC", chr(c)) == chr(c) for c in range(0x4E00, 0xA000))
    return "[\u4e00-\u9fff" + re.escape(kept) + "]+"


_PLAIN = re.compile(_plain_class())


def stream_of(blocks) -> Stream:
    """The text of every block in order: paragraphs as lines, table rows as lines of tab-separated cells."""
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        else:
            parts.extend("\t".join(row) for row in block.rows)
    return fold("\n".join(parts))


# --- the numbers after a label ------------------------------------------------------------------------------
_RUN = re.compile(r"(?:[0-9+\-.,]|(?<=[0-9])[ |](?=[0-9+\-])|万元|亿元|元|%)+")
_YEAR_AFTER = re.compile(r"((?:19|20)\d{2})$")


@dataclass(frozen=True)
class ValueRun:
    start: int
    end: int
    text: str  # normalised: digits, single spaces, signs, decimal points, units


def value_run(text: str, start: int, stop: int) -> ValueRun | None:
    """The numbers that begin at ``start`` (before ``stop``), or None when none begin there.

    A run that runs into a date of the following text (``…继续办理20000022025年，我局…``) ends before the year.
    """
    match = _RUN.match(text, start, stop)
    if not match or not re.search(r"\d", match[0]):
        return None
    run, end = match[0], match.end()
    if text.startswith("年", end) and (year := _YEAR_AFTER.search(run)):
        run, end = run[:year.start()], start + year.start()
    run = run.rstrip(" ,.")
    if not re.search(r"\d", run):
        return None
    return ValueRun(start, start + len(run), run)


_TOKEN = re.compile(r"[+\-]?\d+(?:\.\d+)?(?:万元|亿元|元|%)?|[+\-]?\.\d+")
_THOUSANDS = re.compile(r"(?<!\d)(\d{1,3}(?:,\d{3})+)(?![\d,])")


def tokens_of(run: str) -> list[str]:
    """A value run as tokens: white space separates; digits with signs between them stay one token, a run of
    cells each sign opens (``0+11``: ``0`` then ``+1…``);
    ``1,356`` is one number; other commas separate. In a row with stated cell boundaries (``|``) every token is one
    whole cell, marked ``=`` (``ingest.solve`` never cuts it)."""
    run = _THOUSANDS.sub(lambda m: m[1].replace(",", ""), run)
    whole = "|" in run
    tokens: list[str] = []
    for chunk in re.split(r"[ ,|]+", run):
        if not whole and SIGNED_RUN.fullmatch(chunk):
            tokens.append(chunk)  # 0+11: one run of cells, each sign opening one (ingest.solve cuts it there)
            continue
        tokens.extend(("=" + t if whole else t) for t in _TOKEN.findall(chunk))
    return tokens


SIGNED_RUN = re.compile(r"[+\-]?\d+(?:[+\-]\d+)+")  # 0+11: a run of cells, each sign opening one


def signed_cells(token: str) -> list[str]:
    """A signed run cut at its signs (``0+11`` → ``0``, ``+11``); any other token as it is."""
    return re.findall(r"[+\-]?\d+", token) if SIGNED_RUN.fullmatch(token) else [token]
