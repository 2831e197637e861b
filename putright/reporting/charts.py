"""Charts as inline SVG, drawn on the server by matplotlib, each with the table of its numbers.

A ``LineChart`` holds the numbers once; ``svg`` draws them and ``table`` lays them out as a
report ``Table``, so the picture and the table beside it cannot disagree.

What the page needs from the SVG, and matplotlib does not give by itself:

- The Content Security Policy allows no inline styles (``style-src 'self'``), and matplotlib
  writes a ``<style>`` element and ``style`` attributes. Every property it writes is also an SVG
  presentation attribute, so each declaration becomes the attribute of the same name.
- Several charts share a page, and matplotlib numbers its ids from 1 in each: every id (and
  every reference to one) is prefixed with the chart's key.
- The same numbers must give the same bytes (tests compare them; caches may): no date in the
  metadata, a fixed salt for the clip-path hashes.
- A text alternative: ``role="img"`` named by a ``<title>`` and ``<desc>`` inside the SVG.
- No fixed size: the SVG fills its column and keeps its shape (its ``viewBox``).
"""

from __future__ import annotations

import io
import math
import re
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal

import matplotlib
from django.utils.safestring import SafeString, mark_safe

# A Figure of its own rather than pyplot: no GUI backend and no state shared between requests.
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from putright.reporting.tables import Table

__all__ = ["LOOKS_IN_WORDS", "LineChart", "Series", "svg", "table"]

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"

# GOV.UK Frontend's blue and dark grey: both over 4.5:1 on white. Series differ by line and
# marker as well as colour, so colour is never the only way to tell them apart (WCAG 1.4.1).
# At most two series to a chart, each with its look and the words a text alternative uses for it.
_LOOKS = (
    {"color": "#1d70b8", "linestyle": "solid", "marker": "o"},
    {"color": "#505a5f", "linestyle": "dashed", "marker": "s"},
)
LOOKS_IN_WORDS = ("solid line with circles", "dashed line with squares")
_TEXT = "#0b0c0c"

_STYLE = {
    "svg.fonttype": "none",  # text stays text: selectable, read by the tests, sized by the font
    "font.family": "sans-serif",
    "font.sans-serif": ["Arial", "Liberation Sans", "DejaVu Sans"],  # as the site's Arial
    "font.size": 14,  # about 12px on a phone, 14px in a desktop's half column
    "text.color": _TEXT,
    "axes.edgecolor": _TEXT,
    "axes.labelcolor": _TEXT,
    "xtick.color": _TEXT,
    "ytick.color": _TEXT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#b1b4b6",
    "grid.linewidth": 0.6,
    "lines.linewidth": 2.5,
    "lines.markersize": 6,
    "path.simplify": False,  # every month is a point, even on a straight stretch
}


# matplotlib's settings are global: a chart is drawn under its own, one chart at a time, so
# that two requests drawing at once in a threaded server never borrow each other's.
_DRAWING = threading.Lock()


@dataclass(frozen=True)
class Series:
    """One line: a value per category (``None`` where there is none), and optionally what the
    table shows after each value, such as "3 of 4", or instead of a missing one."""

    name: str
    values: tuple[int | Decimal | None, ...]
    details: tuple[str, ...] = ()

    def cell(self, index: int, percent: bool) -> str:
        value = self.values[index]
        detail = self.details[index] if self.details else ""
        if value is None:
            return detail or "n/a"
        shown = f"{value:.1f}%" if percent else f"{value:,}"
        return f"{shown} ({detail})" if detail else shown


@dataclass(frozen=True)
class LineChart:
    """``key`` names the chart on its page (ids and the table's caption hang off it)."""

    key: str
    title: str
    summary: str  # the text alternative: what the chart shows, in a sentence or two
    category_heading: str  # the table's first column, such as "Month"
    categories: tuple[str, ...]  # the axis labels ("Apr")
    category_names: tuple[str, ...]  # the table's row headings ("April 2025")
    series: tuple[Series, ...]
    percent: bool = False


def table(chart: LineChart) -> Table:
    """The chart's numbers as a report table, one row per category."""
    return Table(
        chart.key,
        chart.title,
        [chart.category_heading, *(series.name for series in chart.series)],
        [
            [name, *(series.cell(i, chart.percent) for series in chart.series)]
            for i, name in enumerate(chart.category_names)
        ],
    )


def svg(chart: LineChart) -> SafeString:
    """The chart as an ``<svg>`` element to place in a page."""
    with _DRAWING, matplotlib.rc_context({**_STYLE, "svg.hashsalt": chart.key}):
        figure = Figure(figsize=(6, 3.6), layout="constrained")
        axes = figure.subplots()
        positions = range(len(chart.categories))
        for index, (series, looks) in enumerate(zip(chart.series, _LOOKS, strict=True)):
            axes.plot(
                positions,
                [math.nan if v is None else float(v) for v in series.values],
                label=series.name,
                gid=f"series-{index}",
                zorder=3 - index,  # the first series (this year, stage 1) is drawn on top
                clip_on=False,  # a point at 0 or 100% shows whole, not cut by the axes' edge
                **looks,
            )
        axes.set_xticks(positions, chart.categories)
        axes.set_xlim(-0.5, len(chart.categories) - 0.5)
        if chart.percent:
            axes.set_ylim(0, 100)
            axes.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        else:
            axes.set_ylim(bottom=0, top=max(_highest(chart) * 1.15, 5))
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.tick_params(length=0)
        axes.legend(
            loc="lower left", bbox_to_anchor=(0, 1.02), ncols=2, frameon=False, borderaxespad=0
        )
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    return mark_safe(_for_the_page(out.getvalue(), chart))


def _highest(chart: LineChart) -> float:
    return max((float(v) for s in chart.series for v in s.values if v is not None), default=0)


# --- from matplotlib's file to an element of the page -------------------------------------------

_URL_REFERENCE = re.compile(r"url\(#([^)]+)\)")


def _for_the_page(document: str, chart: LineChart) -> str:
    root = ET.fromstring(document)
    for parent in root.iter():
        for child in list(parent):
            # matplotlib's credits (<metadata>) and its one style sheet, whose properties
            # (round joins, butt caps) every element inherits from the root below.
            if child.tag in (f"{{{SVG}}}metadata", f"{{{SVG}}}style"):
                parent.remove(child)
    for element in root.iter():
        _style_to_attributes(element)
        _prefix_ids(element, chart.key)
    for size in ("width", "height"):
        root.attrib.pop(size, None)
    title_id, desc_id = f"{chart.key}-chart-title", f"{chart.key}-chart-desc"
    root.attrib.update(
        {
            "width": "100%",
            "class": "app-chart__svg",
            "role": "img",
            "aria-labelledby": f"{title_id} {desc_id}",
            "focusable": "false",
            "stroke-linejoin": "round",
            "stroke-linecap": "butt",
        }
    )
    title = ET.Element(f"{{{SVG}}}title", id=title_id)
    title.text = chart.title
    desc = ET.Element(f"{{{SVG}}}desc", id=desc_id)
    desc.text = chart.summary
    root[0:0] = [title, desc]
    ET.register_namespace("", SVG)
    return ET.tostring(root, encoding="unicode")


def _style_to_attributes(element: ET.Element) -> None:
    style = element.attrib.pop("style", "")
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        if name.strip():
            element.set(name.strip(), value.strip())


def _prefix_ids(element: ET.Element, key: str) -> None:
    if "id" in element.attrib:
        element.set("id", f"{key}-{element.get('id')}")
    href = element.attrib.pop(f"{{{XLINK}}}href", None)
    if href is not None:  # SVG 2's plain href: no xlink namespace needed in HTML
        element.set("href", f"#{key}-{href[1:]}" if href.startswith("#") else href)
    for name, value in list(element.attrib.items()):
        if "url(#" in value:
            element.set(name, _URL_REFERENCE.sub(rf"url(#{key}-\1)", value))
