"""``ingest.stream.fold`` copies runs that normalise to themselves whole: it must fold exactly as folding every
character one by one does (the definition, written out below), offsets included."""
import random
import unicodedata
from pathlib import Path

import pytest

from ingest.stream import _FULLWIDTH, _NUMERIC, fold

ROOT = Path(__file__).resolve().parents[2]


def fold_by_character(raw: str) -> tuple[str, tuple[int, ...]]:
    out: list[str] = []
    origin: list[int] = []
    pending_space, pending_tab = -1, False
    for i, char in enumerate(raw):
        if char.isspace():
            if pending_space < 0:
                pending_space, pending_tab = i, False
            pending_tab = pending_tab or char == "\t"
            continue
        for piece in unicodedata.normalize("NFKC", char):
            piece = _FULLWIDTH.get(piece, piece)
            if pending_space >= 0:
                if out and out[-1] in _NUMERIC and piece in _NUMERIC:
                    out.append("|" if pending_tab else " ")
                    origin.append(pending_space)
                pending_space = -1
            out.append(piece)
            origin.append(i)
    return "".join(out), tuple(origin)


def _same(raw: str) -> None:
    stream = fold(raw)
    assert (stream.text, stream.origin) == fold_by_character(raw)


@pytest.mark.parametrize("raw", [
    "", " ", "\t\n", "18", " 18 ", "本年新收\t18\t0\t\t0\t18\n上年结转 0 00000", "１８　０（一）",
    "e\u0301 1 \u00a02", "¨1 2", "Ω\u2126 ﹝2020﹞ 3－1 ＋2", "\u3000\u30001\u3000\u30002\t", "行政许可0+11 −1",
    "ﾊﾟ 1 \u1100\u1161 2", "2\u20033", "1\x1c2",
])
def test_fold_as_character_by_character(raw):
    _same(raw)


def test_fold_random_mixtures():
    alphabet = list("0123456789.+- \t\n\u3000\u00a0年申请（）()、，：“”﹝﹞−－＋１２ｶﾞ\u0301e¨Ωⅻ①")
    rng = random.Random(5)
    for _ in range(2000):
        _same("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))))


def test_fold_the_shipped_reports():
    texts = sorted((ROOT / "tests" / "fixtures" / "wild" / "reports").glob("*.txt"))
    assert texts
    for path in texts:
        _same(path.read_text(encoding="utf-8", errors="replace"))
