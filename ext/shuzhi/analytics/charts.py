"""Charts as SVG: matplotlib, Agg backend, no network, glyphs embedded as paths.

Text is drawn as paths (``svg.fonttype = 'path'``), so the Chinese labels look the
same in every browser whether or not it has a CJK font; each glyph is defined once
per chart and reused. Every chart gets a ``<title>``/``<desc>`` and
``role="img"``; the pages put a table with the same figures next to it.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

#: fonts tried in order; Noto Sans CJK SC comes with Debian's fonts-noto-cjk
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Serif CJK SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "FandolHei",
)
#: at most this many bars/groups per chart; the table beside it lists everything
MAX_BARS = 12
PALETTE = ("#9f1d20", "#d08c2a", "#4a6d8c", "#6b8e4e", "#8c6bb1", "#7f7f7f", "#c05a7a", "#2f8f8f")
_ID = re.compile(r'\bid="([^"]+)"')


class NoCJKFont(RuntimeError):
    """No font that can draw Chinese is installed."""


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """The family name of an installed CJK font; raises :class:`NoCJKFont` in Chinese.

    matplotlib caches its font list on first use; a font installed after that
    (``make html`` before the system packages) is missing from the cached list,
    so on a miss the system font folders are scanned again and CJK files added.
    """
    from matplotlib import font_manager

    name = _known_cjk({f.name for f in font_manager.fontManager.ttflist})
    if name is None:
        for path in font_manager.findSystemFonts():
            if _CJK_FILE.search(Path(path).name):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # an unreadable font file: skip it
                    continue
        name = _known_cjk({f.name for f in font_manager.fontManager.ttflist})
    if name is None:
        raise NoCJKFont(
            "统计图需要中文字体，但系统中没有找到（如 Noto Sans CJK SC）。"
            "请以 root 运行 .ci/install-system-packages browser 安装 fonts-noto-cjk 后重新构建。"
        )
    return name


#: font files that may hold a Chinese font (Noto/Source Han CJK, WenQuanYi, Fandol)
_CJK_FILE = re.compile(r"CJK|SourceHan|wqy|Fandol", re.IGNORECASE)


def _known_cjk(names: set[str]) -> str | None:
    for name in CJK_FONTS:
        if name in names:
            return name
    for name in sorted(names):
        if "CJK" in name and ("SC" in name or "CN" in name):
            return name
    return None


#: where rendered charts are kept between builds (set by the Sphinx extension); None: no cache
CACHE_DIR: Path | None = None


def bar_chart(*args: Any, **kwargs: Any) -> str:
    """:func:`_bar_chart`, through a disk cache keyed by every input (matplotlib is slow to start)."""
    if CACHE_DIR is None:
        return _bar_chart(*args, **kwargs)
    key = hashlib.sha256(repr((args, sorted(kwargs.items()))).encode()).hexdigest()
    path = CACHE_DIR / f"{key}.svg"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    svg = _bar_chart(*args, **kwargs)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    path.write_text(svg, encoding="utf-8")
    return svg


def _bar_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    description: str,
    chart_id: str,
    horizontal: bool = False,
    stacked: bool = False,
    value_label: str = "",
) -> str:
    """A (grouped or stacked) bar chart as an inline-ready SVG string.

    ``series`` is [(legend name, one value per category)]; categories beyond
    :data:`MAX_BARS` are dropped (the caller's table shows them).
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    categories = list(categories)[:MAX_BARS]
    series = [(name, list(values)[: len(categories)]) for name, values in series][: len(PALETTE)]
    rc: dict[str, Any] = {
        "svg.fonttype": "path",
        "svg.hashsalt": chart_id,
        "font.family": "sans-serif",
        "font.sans-serif": [cjk_font(), "DejaVu Sans"],
        "font.size": 10,
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
    with plt.rc_context(rc):  # type: ignore[arg-type]
        height = max(2.6, 0.42 * len(categories) + 1.2) if horizontal else 3.2
        fig, ax = plt.subplots(figsize=(6.4, height), dpi=100)
        try:
            _draw_bars(ax, categories, series, horizontal=horizontal, stacked=stacked, value_label=value_label)
            ax.set_title(title)
            if len(series) > 1:
                ax.legend(frameon=False, fontsize=9, loc="best")
            fig.tight_layout()
            buf = io.StringIO()
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        finally:
            plt.close(fig)
    return _accessible(buf.getvalue(), chart_id, title, description)


def _draw_bars(
    ax: Any, categories: list[str], series: Sequence[tuple[str, Sequence[float]]], *, horizontal: bool, stacked: bool,
    value_label: str,
) -> None:
    """The bars of each series (side by side, or stacked) and the category and value axes."""
    from matplotlib.ticker import MaxNLocator

    positions = list(range(len(categories)))
    groups = max(1, len(series))
    width = 0.8 if stacked else 0.8 / groups
    base = [0.0] * len(categories)
    for k, (name, values) in enumerate(series):
        offset = 0.0 if stacked else (k - (groups - 1) / 2) * width
        where = [p + offset for p in positions]
        color = PALETTE[k % len(PALETTE)]
        if horizontal:
            ax.barh(where, values, height=width, left=base if stacked else None, label=name, color=color)
        else:
            ax.bar(where, values, width=width, bottom=base if stacked else None, label=name, color=color)
        if stacked:
            base = [b + v for b, v in zip(base, values, strict=True)]
    if horizontal:
        ax.set_yticks(positions, categories)
        ax.invert_yaxis()
        ax.set_xlabel(value_label)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    else:
        ax.set_xticks(positions, categories)
        ax.set_ylabel(value_label)
        ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))


def _accessible(svg: str, chart_id: str, title: str, description: str) -> str:
    """Inline-ready SVG: no XML prolog, ids prefixed per chart, a title and a description."""
    svg = svg[svg.index("<svg") :]
    ids = set(_ID.findall(svg))
    if ids:
        pattern = re.compile(r'(id="|#)(' + "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True)) + r')(?=["\)])')
        svg = pattern.sub(lambda m: f"{m.group(1)}{chart_id}-{m.group(2)}", svg)
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    head_end = svg.index(">") + 1
    head = svg[:head_end]
    head = head.replace("<svg ", f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="sz-analytics-chart" ', 1)
    head = re.sub(r'\swidth="[^"]*"', "", head, count=1)
    head = re.sub(r'\sheight="[^"]*"', "", head, count=1)
    accessible = f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
    return head + accessible + svg[head_end:]
