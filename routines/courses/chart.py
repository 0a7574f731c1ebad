"""Small server-drawn SVG charts: no JavaScript, readable without colour.

Each series has its own colour AND its own marker shape and line pattern, the values are written
next to the points, and a legend names them all; the page puts a table of the same numbers right
below the chart. Two charts exist: pain and minutes, and blood pressure before and after.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 52, 20, 64


@dataclass(frozen=True)
class Axis:
    label: str
    low: int
    high: int


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str
    dash: str
    marker: str  # circle, square, triangle
    axis: str  # "left" or "right"
    above: bool = True  # its values are written above the points (else below)


@dataclass(frozen=True)
class Chart:
    title: str
    series: tuple[Series, ...]
    left: Axis
    right: Axis | None = None
    ticks: int = 5  # grid lines above the bottom one
    # A marked line on the left scale: its value, and its label with %(limit)d for the value.
    limit: tuple[int, str] | None = None


PAIN_CHART = Chart(
    gettext_lazy("Pain before and after, and minutes, session by session"),
    (
        Series("pain_before", gettext_lazy("Pain before (0-10)"), "#8a4b00", "", "circle", "left"),
        Series(
            "pain_after",
            gettext_lazy("Pain after (0-10)"),
            "#b3261e",
            "6 4",
            "square",
            "left",
            False,
        ),
        Series(
            "minutes_done",
            gettext_lazy("Minutes (right scale)"),
            "#1f5f5b",
            "2 4",
            "triangle",
            "right",
            False,
        ),
    ),
    Axis(pgettext_lazy("chart axis", "pain"), 0, 10),
    Axis(pgettext_lazy("chart axis, minutes", "min"), 0, 60),
)
BLOOD_PRESSURE_CHART = Chart(
    gettext_lazy("Blood pressure before and after, session by session"),
    (
        Series("systolic_before", gettext_lazy("Before (mmHg)"), "#8a4b00", "", "circle", "left"),
        Series(
            "systolic_after",
            gettext_lazy("After (mmHg)"),
            "#1f5f5b",
            "6 4",
            "square",
            "left",
            False,
        ),
    ),
    Axis(pgettext_lazy("chart axis", "mmHg"), 80, 200),
    ticks=6,
    limit=(160, gettext_lazy("%(limit)d: no massage above")),
)


def _f(value: float) -> str:
    return f"{value:.1f}"


def course_chart(
    sessions: Sequence, *, title_id: str, desc_id: str, chart: Chart = PAIN_CHART
) -> SafeString:
    """One value per session and series (pain, minutes; or blood pressure) for a course."""
    count = max(len(sessions), 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(position: int) -> float:
        return LEFT + (position + 0.5) * plot_w / count

    def y(value: float, axis: str) -> float:
        scale = chart.right if axis == "right" and chart.right else chart.left
        share = (min(max(value, scale.low), scale.high) - scale.low) / (scale.high - scale.low)
        return TOP + plot_h - share * plot_h

    parts = [_grid(chart, plot_w, plot_h, sessions, x)]
    with_values = set()
    for series in chart.series:
        points = [
            (x(i), y(getattr(s, series.key), series.axis), getattr(s, series.key))
            for i, s in enumerate(sessions)
            if getattr(s, series.key) is not None
        ]
        with_values |= {i for i, s in enumerate(sessions) if getattr(s, series.key) is not None}
        parts.append(_series(series, points))
    parts.append(_legend(chart))
    return format_html(
        '<svg class="course-chart" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{} {}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}">{}</title>'
        '<desc id="{}">{}</desc>{}</svg>',
        WIDTH,
        HEIGHT,
        title_id,
        desc_id,
        title_id,
        chart.title,
        desc_id,
        _description(len(with_values), len(sessions)),
        mark_safe("".join(parts)),  # noqa: S308 - every part is built with format_html
    )


def _description(with_values: int, count: int) -> str:
    """What the chart shows so far, for screen readers: the table below has the same numbers."""
    if not with_values:
        return _(
            "No session has results yet: the chart fills in as you go. "
            "The same numbers are in the table below."
        )
    return ngettext(
        "%(done)d of %(count)d session has results so far. "
        "The same numbers are in the table below.",
        "%(done)d of %(count)d sessions have results so far. "
        "The same numbers are in the table below.",
        count,
    ) % {"done": with_values, "count": count}


def _scale_lines(chart: Chart, plot_w: int, plot_h: int) -> list[str]:
    """Grid lines with the scale values on both sides, and the marked limit if any."""
    lines = []
    left, right = chart.left, chart.right
    for tick in range(chart.ticks + 1):
        share = tick / chart.ticks
        gy = TOP + plot_h - share * plot_h
        lines.append(
            format_html(
                '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text class="axis" x="{}" y="{}" text-anchor="end">{}</text>',
                LEFT,
                _f(gy),
                LEFT + plot_w,
                _f(gy),
                LEFT - 6,
                _f(gy + 4),
                round(left.low + share * (left.high - left.low)),
            )
        )
        if right:
            lines.append(
                format_html(
                    '<text class="axis" x="{}" y="{}">{}</text>',
                    LEFT + plot_w + 6,
                    _f(gy + 4),
                    round(right.low + share * (right.high - right.low)),
                )
            )
    if chart.limit:
        value, label = chart.limit[0], chart.limit[1] % {"limit": chart.limit[0]}
        ly = TOP + plot_h - (value - left.low) / (left.high - left.low) * plot_h
        lines.append(
            format_html(
                '<line class="limit" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#b3261e" '
                'stroke-dasharray="8 3"/><text class="axis" x="{}" y="{}" text-anchor="end">{}'
                "</text>",
                LEFT,
                _f(ly),
                LEFT + plot_w,
                _f(ly),
                LEFT + plot_w,
                _f(ly - 4),
                label,
            )
        )
    return lines


def _grid(chart: Chart, plot_w: int, plot_h: int, sessions: Sequence, x) -> str:
    bottom = TOP + plot_h
    lines = _scale_lines(chart, plot_w, plot_h)
    left, right = chart.left, chart.right
    ticks = format_html_join(
        "",
        '<text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>',
        ((_f(x(i)), bottom + 16, s.index) for i, s in enumerate(sessions)),
    )
    labels = format_html(
        '<text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>'
        '<text class="axis" x="4" y="{}">{}</text>',
        _f(LEFT + plot_w / 2),
        bottom + 32,
        pgettext("chart axis", "Session"),
        TOP - 6,
        left.label,
    )
    if right:
        labels += format_html(
            '<text class="axis" x="{}" y="{}">{}</text>', LEFT + plot_w + 6, TOP - 6, right.label
        )
    return "".join(lines) + ticks + labels


def _marker(series: Series, px: float, py: float) -> str:
    if series.marker == "circle":
        return format_html(
            '<circle cx="{}" cy="{}" r="5" fill="{}"/>', _f(px), _f(py), series.colour
        )
    if series.marker == "square":
        return format_html(
            '<rect x="{}" y="{}" width="10" height="10" fill="#fff" stroke="{}" stroke-width="2"/>',
            _f(px - 5),
            _f(py - 5),
            series.colour,
        )
    return format_html(
        '<path d="M{} {} l6 10 h-12 z" fill="{}"/>', _f(px), _f(py - 6), series.colour
    )


def _series(series: Series, points: list[tuple[float, float, int]]) -> str:
    if not points:
        return ""
    path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _value in points)
    line = format_html(
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>',
        path,
        series.colour,
        series.dash or "none",
    )
    # Values are written beside each point: left-scale values to the left, right-scale ones to
    # the right; one series above its points, the other below, so they do not overlap.
    dx = -8 if series.axis == "left" else 8
    anchor = "end" if series.axis == "left" else "start"
    offset = -8 if series.above else 14
    marks = "".join(
        _marker(series, px, py)
        + format_html(
            '<text class="value" x="{}" y="{}" text-anchor="{}">{}</text>',
            _f(px + dx),
            _f(py + offset),
            anchor,
            value,
        )
        for px, py, value in points
    )
    return format_html('<g class="series series-{}">{}{}</g>', series.key, line, mark_safe(marks))


def _legend(chart: Chart) -> str:
    items = []
    y = HEIGHT - 12
    for i, series in enumerate(chart.series):
        lx = LEFT + i * 190
        items.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" '
                'stroke-dasharray="{}"/>{}<text class="legend-text" x="{}" y="{}">{}</text>',
                lx,
                y - 4,
                lx + 28,
                y - 4,
                series.colour,
                series.dash or "none",
                mark_safe(_marker(series, lx + 14, y - 4)),
                lx + 34,
                y,
                series.label,
            )
        )
    return format_html('<g class="legend-group">{}</g>', mark_safe("".join(items)))
