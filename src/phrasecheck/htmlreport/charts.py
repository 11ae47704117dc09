"""Bar charts as geometry: the template draws them as inline SVG (no library, no network).

Only numbers are computed here; every label goes through the template's escaping.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PASS, FAIL, NEUTRAL = "#2e7d32", "#c62828", "#1565c0"


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    color: str
    title: str


@dataclass
class Label:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass
class Chart:
    width: int
    height: int
    title: str
    rects: list[Rect] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    lines: list[tuple[float, float, float, float]] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)


def columns(
    title: str,
    bars: list[tuple[str, list[tuple[float, str, str]]]],
    *,
    width: int = 560,
    height: int = 240,
    percent: bool = False,
    legend: list[tuple[str, str]] | None = None,
    notes: list[str] | None = None,
) -> Chart:
    """Vertical bars, each a stack of (value, color, tooltip) segments above a label, with an
    optional note (a count) written above each bar."""
    chart = Chart(width, height, title, legend=legend or [])
    left, right, top, bottom = 44, 10, 22, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = 1.0 if percent else _nice(max([sum(v for v, _, _ in s) for _, s in bars] + [1]))
    for step in range(5):
        value = peak * step / 4
        y = top + plot_h - plot_h * step / 4
        chart.lines.append((left, y, width - right, y))
        text = f"{value:.0%}" if percent else f"{value:,.0f}"
        chart.labels.append(Label(left - 6, y + 4, text, "end"))
    slot = plot_w / max(len(bars), 1)
    bar_w = max(2.0, slot * 0.7)
    every = max(1, round(len(bars) / 12))  # at most about a dozen axis labels
    for number, (label, segments) in enumerate(bars):
        x = left + slot * number + (slot - bar_w) / 2
        base = float(top + plot_h)
        for value, color, tip in segments:
            h = plot_h * value / peak
            base -= h
            if h > 0:
                chart.rects.append(Rect(x, base, bar_w, h, color, tip))
        if number % every == 0:
            chart.labels.append(Label(x + bar_w / 2, top + plot_h + 16, label))
            if notes is not None and notes[number] and slot >= 36:  # room to write it
                chart.labels.append(Label(x + bar_w / 2, base - 3, notes[number]))
    return chart


def rows(
    title: str,
    items: list[tuple[str, float, str, str]],
    *,
    width: int = 560,
    percent: bool = False,
    label_width: int = 210,
) -> Chart:
    """Horizontal bars: (label, value, text shown at the bar's end, color)."""
    row_h = 22
    height = 16 + row_h * max(len(items), 1)
    chart = Chart(width, height, title)
    plot_w = width - label_width - 70
    peak = 1.0 if percent else max([value for _, value, _, _ in items] + [1])
    for number, (label, value, text, color) in enumerate(items):
        y = 8 + row_h * number
        w = plot_w * value / peak if peak else 0
        chart.rects.append(
            Rect(label_width, y + 3, max(w, 1), row_h - 8, color, f"{label}: {text}")
        )
        chart.labels.append(Label(label_width - 8, y + row_h / 2 + 4, label, "end"))
        chart.labels.append(Label(label_width + max(w, 1) + 6, y + row_h / 2 + 4, text, "start"))
    return chart


def _nice(value: float) -> float:
    """The smallest round axis top (4 steps of 1, 2 or 5 × 10^k) at or above ``value``."""
    magnitude = 1.0
    while True:
        for step in (magnitude, magnitude * 2, magnitude * 5):
            if step * 4 >= value:
                return step * 4
        magnitude *= 10
