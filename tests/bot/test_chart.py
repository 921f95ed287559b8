"""bot.chart: a trend as a line and a ranking as bars, PNG bytes with every Chinese glyph in the CJK font.

A chart fails here if any character it draws is missing from Noto Sans CJK SC: the characters are looked up in the
font's cmap, matplotlib's "Glyph ... missing from font(s)" warnings are turned into failures, and every text drawn
is checked to use the font file (a text left in DejaVu Sans would draw Chinese as boxes).
"""
from __future__ import annotations

import subprocess
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from pathlib import Path

import pytest

from bot import chart as chart_module
from bot.chart import ChartFontError, font_path, footnote, format_value, render_chart
from index.model import Chart

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ROOT = Path(__file__).resolve().parents[2]
BODIES = ("桥头胡街道", "左家庄街道", "柴桥街道", "王家街道办事处", "平潭综合实验区海坛片区管理局", "东柳街道",
          "和平里街道", "朝阳门街道", "建国门街道", "东华门街道", "景山街道", "交道口街道")


def report(body: str, year: int, number: int) -> str:
    return f"《{body}{year}年政府信息公开工作年度报告》（{number:03d}_c98c7a4ac036b6ca.txt）"


LINE = Chart("line", "东柳街道2019—2023年本年新收政府信息公开申请数量", "件",
             (("2019年", 12), ("2020年", 18), ("2021年", 9), ("2022年", 0), ("2023年", 25)),
             tuple(report("东柳街道", year, n) for n, year in enumerate(range(2019, 2024))))
BAR = Chart("bar", "2020年各街道本年新收申请数量排名", "件",
            tuple(zip(BODIES, (48, 37, 30, 22, 18, 15, 12, 9, 6, 3, 1, 0))),
            tuple(report(body, 2020, n) for n, body in enumerate(BODIES)))
EDGES = {
    "one point": Chart("line", "东柳街道2023年本年新收申请数量", "件", (("2023年", 25),), (report("东柳街道", 2023, 1),)),
    "thirty years": Chart("line", "某区1994—2023年行政复议数量", None,
                          tuple((str(y), float((y % 7) * 13 - 20)) for y in range(1994, 2024))),
    "all zero": Chart("line", "柴桥街道历年行政诉讼数量", "件", (("2021年", 0), ("2022年", 0))),
    "years missing": Chart("line", "平潭综合实验区市场监督管理局2019—2025年行政处罚处理决定", "件",
                           (("2021年", 211), ("2022年", 887), ("2024年", 159), ("2025年", 187)),
                           gaps=(("2019年", "无法确定"), ("2020年", "未收录"), ("2023年", "未收录"))),
    "negative bars": Chart("bar", "2021年各街道申请数量较上年变化", "件",
                           (("东柳街道", -12), ("王家街道", 7.5), ("柴桥街道", 0), ("左家庄街道", -3))),
    "thirty bars": Chart("bar", "各单位本年新收申请数量排名", "万元",
                         tuple((f"{BODIES[i % 12]}{i}", 1234567.5 - i * 40000) for i in range(30))),
    "one bar, long name": Chart("bar", "平潭综合实验区海坛片区管理局2022年本年新收申请数量" * 2, "件",
                                (("平潭综合实验区海坛片区管理局平潭综合实验区海坛片区管理局", 3),)),
}


def drawn_characters(chart: Chart) -> set[str]:
    texts = [chart.title, footnote(chart.sources), f"单位：{chart.unit}", "…"]
    texts += [label + format_value(value) for label, value in chart.points]
    texts += [label + why for label, why in chart.gaps]
    return set("".join(texts)) - set(" \n")


def render_strictly(chart: Chart) -> bytes:
    """Render, failing on any glyph matplotlib reports missing (or any other warning while drawing)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = render_chart(chart)
    messages = [str(w.message) for w in caught]
    assert not [m for m in messages if "missing from font" in m], messages
    assert not messages, messages
    return png


def png_size(png: bytes) -> tuple[int, int]:
    from PIL import Image

    assert png.startswith(PNG_SIGNATURE)
    with Image.open(BytesIO(png)) as image:
        image.load()
        return image.size


@pytest.mark.parametrize("chart", [LINE, BAR], ids=["line", "bar"])
def test_chinese_chart_has_every_glyph(chart):
    from matplotlib.ft2font import FT2Font

    charmap = FT2Font(str(font_path())).get_charmap()
    missing = sorted(ch for ch in drawn_characters(chart) if ord(ch) not in charmap)
    assert not missing, f"not in {font_path().name}: {missing}"
    width, height = png_size(render_strictly(chart))
    assert width == 1200 and 400 <= height <= 2000


@pytest.mark.parametrize("chart", [LINE, BAR, *EDGES.values()], ids=["line", "bar", *EDGES])
def test_every_text_is_drawn_in_the_cjk_font(chart, monkeypatch):
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    drawn: list[tuple[str, str]] = []
    savefig = Figure.savefig

    def spy(figure, *args, **kwargs):
        savefig(figure, *args, **kwargs)
        drawn.extend((t.get_text(), t.get_fontproperties().get_file()) for t in figure.findobj(Text)
                     if t.get_visible() and t.get_text())

    monkeypatch.setattr(Figure, "savefig", spy)
    render_strictly(chart)
    texts = {text for text, _ in drawn}
    assert {format_value(value) for _, value in chart.points} <= texts  # a value on every bar or point
    assert any(chart.title[:10] in text for text in texts)
    assert not [(text, file) for text, file in drawn if file != str(font_path())]


def test_the_glyph_check_catches_a_font_without_chinese(monkeypatch):
    import matplotlib

    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    monkeypatch.setattr(chart_module, "font_path", lambda: dejavu)
    with pytest.raises(AssertionError, match="missing from font"):
        render_strictly(LINE)


@pytest.mark.parametrize("name", list(EDGES))
def test_edge_cases_render(name):
    width, height = png_size(render_strictly(EDGES[name]))
    assert width == 1200 and height >= 400


def test_horizontal_bars_grow_with_their_number():
    few = png_size(render_strictly(BAR))[1]
    many = png_size(render_strictly(EDGES["thirty bars"]))[1]
    assert many > few
    assert many <= 2000  # Telegram takes it as a photo


def test_charts_render_in_threads():
    charts = [LINE, BAR, EDGES["negative bars"], EDGES["thirty years"]] * 2
    alone = [render_chart(c) for c in charts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(render_chart, charts))
    assert together == alone


def test_footnote_names_three_reports_and_counts_the_rest():
    assert footnote(()) == ""
    assert footnote(LINE.sources[:2]) == "来源：" + "；".join(LINE.sources[:2])
    note = footnote(BAR.sources)
    assert note == "来源：" + "；".join(BAR.sources[:3]) + " 等 12 份报告"
    assert BAR.sources[3] not in note


@pytest.mark.parametrize("value, text", [(12.0, "12"), (12, "12"), (0, "0"), (-3.0, "-3"), (12.5, "12.5"),
                                         (1 / 3, "0.33"), (-0.001, "0"), (1234567.5, "1234567.5")])
def test_values_print_without_trailing_zeros(value, text):
    assert format_value(value) == text


def test_no_points_or_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="no points"):
        render_chart(Chart("line", "空", "件", ()))
    with pytest.raises(ValueError, match="only line and bar"):
        render_chart(Chart("pie", "饼", "件", (("东柳街道", 1),)))


def test_missing_font_names_the_package(monkeypatch):
    monkeypatch.setattr(chart_module.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ChartFontError, match="pip install mplfonts"):
        font_path()


def test_import_does_not_load_matplotlib():
    code = ("import sys, bot.chart; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'mplfonts')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_year_without_a_point_is_on_the_axis_with_why():
    """A year not held or not readable between drawn ones is a tick of its own saying why, in grey."""
    from matplotlib.figure import Figure

    chart = EDGES["years missing"]
    drawn: list[str] = []
    real = Figure.savefig

    def spy(self, *args, **kwargs):
        drawn.extend(t.get_text() for ax in self.axes for t in ax.get_xticklabels())
        return real(self, *args, **kwargs)

    import pytest as _pytest

    with _pytest.MonkeyPatch.context() as patch:
        patch.setattr(Figure, "savefig", spy)
        render_strictly(chart)
    assert {"2019年\n无法确定", "2020年\n未收录", "2023年\n未收录", "2021年", "2025年"} <= set(drawn)


def test_bars_of_one_places_bodies_drop_the_place_the_title_names():
    from bot.chart import _without_shared_place

    names = ["平潭综合实验区公安局", "平潭综合实验区君山片区管理局"]
    assert _without_shared_place(names, "2021年平潭综合实验区各机关新收申请排名") == ["公安局", "君山片区管理局"]
    assert _without_shared_place(names, "2021年各机关新收申请排名") == names  # the title does not name it
    assert _without_shared_place(["2021年", "2022年"], "2021—2022年") == ["2021年", "2022年"]
