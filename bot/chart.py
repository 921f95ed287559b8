"""Drawing a Chart as a PNG: a line over years for a trend, bars for a ranking or comparison.

matplotlib is imported inside `render_chart`, never at module import, so the bot starts fast. Only the
object-oriented API is used (a `Figure` drawn by its own `FigureCanvasAgg`, fonts passed to each text element),
never pyplot's global figure or rcParams, so charts can be made from `asyncio.to_thread` in several threads at once.
Chinese glyphs come from the Noto Sans CJK SC font that the `mplfonts` package ships; mplfonts itself is not
imported (its import pulls in matplotlib and its `use_font` rewrites matplotlibrc), only its font file is read.
"""
from __future__ import annotations

import importlib.util
import re
import threading
import unicodedata
from io import BytesIO
from pathlib import Path

from index.model import Chart
from ingest.errors import NianbaoError

__all__ = ["render_chart", "font_path", "footnote", "format_value", "ChartFontError"]

FONT_PACKAGE = "mplfonts"
FONT_FILE = "NotoSansCJKsc-Regular.otf"
WIDTH_IN, DPI = 12.0, 100  # 1200 px wide: Telegram shows it sharp without recompressing much
LINE_HEIGHT_IN = 6.75
MAX_SOURCES = 3  # named in the footnote; the rest are counted
VERTICAL_BARS_MAX = 6  # more bars than this, or longer labels, are drawn horizontally
VERTICAL_LABEL_MAX = 6  # characters
BAR_LABEL_WIDTH = 32  # display columns (a Chinese character is two) before a bar's name wraps
BLUE, RED, GREY = "#3b6ea5", "#c0504d", "#666666"
# Noto Sans CJK draws U+2212 full width, so "−12" reads like "一12"; its hyphen-minus is a plain short minus.
MINUS = "-"

_register_lock = threading.Lock()
_registered: set[str] = set()


class ChartFontError(NianbaoError):
    """The CJK font for chart labels is not installed."""


def font_path() -> Path:
    """The Noto Sans CJK SC file shipped by mplfonts, found without importing the package."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    for folder in (spec.submodule_search_locations or ()) if spec else ():
        path = Path(folder) / "fonts" / FONT_FILE
        if path.is_file():
            return path
    raise ChartFontError(f"charts need the Chinese font {FONT_FILE} from the pip package {FONT_PACKAGE}, which is "
                         f"not installed: run `pip install {FONT_PACKAGE}` (or `pip install -e .` in the project)")


def format_value(value: float) -> str:
    """12.0 -> "12", 12.345 -> "12.35", -3 -> "-3": what is printed on a bar or point and on the value axis."""
    if float(value).is_integer():
        return f"{int(value)}"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def footnote(sources: tuple[str, ...]) -> str:
    """来源：A；B；C 等 N 份报告 — the first few reports read, the rest counted ("" when none is named)."""
    if not sources:
        return ""
    named = "；".join(sources[:MAX_SOURCES])
    return f"来源：{named}" + (f" 等 {len(sources)} 份报告" if len(sources) > MAX_SOURCES else "")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, columns: int) -> str:
    """Break at `columns` display columns (a Chinese character counts two), after a "；" where one is near enough
    (so a report's title and file stay together), else after any character."""
    lines, line = [], ""
    for piece in re.split(r"(?<=；)", text):
        if line and _width(line + piece) > columns:
            lines.append(line)
            line = ""
        for ch in piece:
            if line and _width(line + ch) > columns:
                lines.append(line)
                line = ""
            line += ch
    return "\n".join(lines + [line])


def _without_shared_place(labels: list[str], title: str) -> list[str]:
    """Bars of one place's bodies (平潭综合实验区公安局, 平潭综合实验区君山片区管理局 …) named without the place the
    title already names, so that each name fits on a line."""
    import os.path

    shared = os.path.commonprefix(labels) if len(labels) > 1 else ""
    if len(shared) >= 3 and not re.search(r"\d", shared) and shared in title and \
            all(len(label) > len(shared) + 1 for label in labels):
        return [label[len(shared):] for label in labels]
    return labels


def _font(size: float):
    from matplotlib import font_manager

    path = str(font_path())
    with _register_lock:  # fontManager is shared; register the file once, whichever thread comes first
        if path not in _registered:
            font_manager.fontManager.addfont(path)
            _registered.add(path)
    return font_manager.FontProperties(fname=path, size=size)


def render_chart(chart: Chart) -> bytes:
    """The chart as PNG bytes, 1200 px wide: title, values on every point or bar, unit on the value axis and the
    source reports in a footnote, every text in Noto Sans CJK SC. Raises ChartFontError without the font."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if chart.kind not in ("line", "bar"):
        raise ValueError(f"chart {chart.title!r} is of kind {chart.kind!r}: only line and bar are drawn")
    if not chart.points:
        raise ValueError(f"chart {chart.title!r} has no points to draw")
    labels = [label for label, _ in chart.points]
    if chart.kind == "bar":
        labels = _without_shared_place(labels, chart.title)
    values = [float(value) for _, value in chart.points]
    horizontal = chart.kind == "bar" and (len(values) > VERTICAL_BARS_MAX
                                          or max(len(label) for label in labels) > VERTICAL_LABEL_MAX)
    many = len(values) > 12
    height = max(4.5, 1.8 + 0.42 * len(values)) if horizontal else LINE_HEIGHT_IN

    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    tick_font, value_font = _font(11 if not many else 9.5), _font(10.5 if not many else 8.5)
    positions = list(range(len(values)))

    if chart.kind == "line":
        years = [int(m.group(1)) if (m := re.fullmatch(r"(\d{4})年?", label)) else None for label in labels]
        if None not in years:  # years where they fall: a year the store does not hold leaves its gap, dashed
            positions = years
            ax.plot(positions, values, color=BLUE, linewidth=1.4, linestyle=(0, (4, 3)), clip_on=False)
            for (x0, y0), (x1, y1) in zip(zip(positions, values), zip(positions[1:], values[1:])):
                if x1 - x0 == 1:
                    ax.plot([x0, x1], [y0, y1], color=BLUE, linewidth=2.2, solid_capstyle="round")
        ax.plot(positions, values, color=BLUE, linewidth=0 if None not in years else 2.2, marker="o",
                markersize=6 if not many else 4, clip_on=False)  # a point at zero sits on the axis: all of it
        for x, y in zip(positions, values):
            ax.annotate(format_value(y), (x, y), xytext=(0, 8 if y >= 0 else -8), textcoords="offset points",
                        ha="center", va="bottom" if y >= 0 else "top", fontproperties=value_font, color="#222222")
        ticks, tick_labels = list(positions), list(labels)
        gaps = [(int(m.group(1)), f"{label}\n{why}") for label, why in chart.gaps
                if (m := re.fullmatch(r"(\d{4})年?", label))] if None not in years else []
        for year, text in gaps:  # a year without a point says why: 无法确定, 未收录
            ticks.append(year)
            tick_labels.append(text)
        ax.set_xlim(min(ticks) - 0.5, max(ticks) + 0.5)
        ax.set_xticks(ticks, tick_labels, fontproperties=tick_font,
                      rotation=45 if many else 0, ha="right" if many else "center", rotation_mode="anchor")
        for tick in ax.get_xticklabels()[len(positions):]:
            tick.set_color(GREY)
        value_axis = ax.yaxis
    else:
        colors = [BLUE if v >= 0 else RED for v in values]
        if horizontal:
            bars = ax.barh(positions, values, color=colors, height=0.62)
            ax.set_yticks(positions, [_wrap(label, BAR_LABEL_WIDTH) for label in labels], fontproperties=tick_font)
            ax.invert_yaxis()  # the first point (the top of a ranking) at the top
            value_axis = ax.xaxis
        else:
            bars = ax.bar(positions, values, color=colors, width=0.6)
            ax.set_xticks(positions, labels, fontproperties=tick_font)
            value_axis = ax.yaxis
        ax.bar_label(bars, labels=[format_value(v) for v in values], padding=4, fontproperties=value_font,
                     color="#222222")

    # Room for the printed values beyond the longest bar or highest point; counts start at zero.
    low, high = min(values + [0.0]), max(values + [0.0])
    span = (high - low) or 1.0
    limits = (low - (0.12 * span if low < 0 else 0), high + (0.12 * span if high > 0 or low == 0 else 0.04 * span))
    if all(v.is_integer() for v in values):  # counts: whole-number ticks, and enough range for a few of them
        value_axis.set_major_locator(MaxNLocator(integer=True))
        if limits[1] - limits[0] < 3:
            limits = (limits[0], limits[0] + 3) if high > 0 or low == 0 else (limits[1] - 3, limits[1])
    (ax.set_xlim if horizontal else ax.set_ylim)(*limits)
    value_axis.set_major_formatter(FuncFormatter(lambda v, _: format_value(round(v, 6))))
    for label in ax.get_xticklabels() + ax.get_yticklabels():
        label.set_fontproperties(tick_font)
    if chart.unit:
        (ax.set_xlabel if horizontal else ax.set_ylabel)(f"单位：{chart.unit}", fontproperties=_font(11))
    if low < 0:
        (ax.axvline if horizontal else ax.axhline)(0, color=GREY, linewidth=0.8)

    ax.grid(axis="x" if horizontal else "y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(_wrap(chart.title, 76), fontproperties=_font(16), pad=14)
    note = footnote(chart.sources)
    if note:
        fig.supxlabel(_wrap(note, 180), x=0.01, ha="left", fontproperties=_font(8.5), color=GREY)

    buffer = BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()
