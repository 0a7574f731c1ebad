"""Small server-drawn SVG charts: no JavaScript, readable without colour.

Each series has its own colour AND its own marker shape and line pattern, the values are written
next to the points, and a legend names all three; the page puts a table of the same numbers right
below the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 52, 20, 64
PAIN_MAX = 10
MINUTES_MAX = 60


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    colour: str
    dash: str
    marker: str  # circle, square, triangle
    axis: str  # "pain" or "minutes"


SERIES = (
    Series("pain_before", "Pain before (0-10)", "#8a4b00", "", "circle", "pain"),
    Series("pain_after", "Pain after (0-10)", "#b3261e", "6 4", "square", "pain"),
    Series("minutes_done", "Minutes (right scale)", "#1f5f5b", "2 4", "triangle", "minutes"),
)


def _f(value: float) -> str:
    return f"{value:.1f}"


def course_chart(sessions: Sequence, *, title_id: str, desc_id: str) -> SafeString:
    """Pain before and after, and minutes done, for every session of a course."""
    count = max(len(sessions), 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(position: int) -> float:
        return LEFT + (position + 0.5) * plot_w / count

    def y(value: float, axis: str) -> float:
        top = PAIN_MAX if axis == "pain" else MINUTES_MAX
        return TOP + plot_h - min(value, top) / top * plot_h

    parts = [_grid(plot_w, plot_h, sessions, x)]
    points_total = 0
    for series in SERIES:
        points = [
            (x(i), y(getattr(s, series.key), series.axis), getattr(s, series.key))
            for i, s in enumerate(sessions)
            if getattr(s, series.key) is not None
        ]
        points_total += len(points)
        parts.append(_series(series, points))
    parts.append(_legend())
    held = sum(1 for s in sessions if getattr(s, "minutes_done", None) is not None)
    description = (
        f"{held} of {len(sessions)} sessions have results so far."
        if points_total
        else "No session has results yet: the chart fills in as you go."
    )
    return format_html(
        '<svg class="course-chart" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{} {}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}">Pain before and after, and minutes, session by session</title>'
        '<desc id="{}">{} The same numbers are in the table below.</desc>{}</svg>',
        WIDTH,
        HEIGHT,
        title_id,
        desc_id,
        title_id,
        desc_id,
        description,
        mark_safe("".join(parts)),  # noqa: S308 - every part is built with format_html
    )


def _grid(plot_w: int, plot_h: int, sessions: Sequence, x) -> str:
    bottom = TOP + plot_h
    lines = []
    for value in range(0, PAIN_MAX + 1, 2):
        gy = TOP + plot_h - value / PAIN_MAX * plot_h
        minutes = round(value / PAIN_MAX * MINUTES_MAX)
        lines.append(
            format_html(
                '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text class="axis" x="{}" y="{}" text-anchor="end">{}</text>'
                '<text class="axis" x="{}" y="{}">{}</text>',
                LEFT,
                _f(gy),
                LEFT + plot_w,
                _f(gy),
                LEFT - 6,
                _f(gy + 4),
                value,
                LEFT + plot_w + 6,
                _f(gy + 4),
                minutes,
            )
        )
    ticks = format_html_join(
        "",
        '<text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>',
        ((_f(x(i)), bottom + 16, s.index) for i, s in enumerate(sessions)),
    )
    labels = format_html(
        '<text class="axis" x="{}" y="{}" text-anchor="middle">Session</text>'
        '<text class="axis" x="4" y="{}">pain</text>'
        '<text class="axis" x="{}" y="{}">min</text>',
        _f(LEFT + plot_w / 2),
        bottom + 32,
        TOP - 6,
        LEFT + plot_w + 6,
        TOP - 6,
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
    path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points)
    line = format_html(
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>',
        path,
        series.colour,
        series.dash or "none",
    )
    # Values are written beside each point: pain to the left, minutes to the right.
    dx = -8 if series.axis == "pain" else 8
    anchor = "end" if series.axis == "pain" else "start"
    offset = -8 if series.key == "pain_before" else 14
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


def _legend() -> str:
    items = []
    y = HEIGHT - 12
    for i, series in enumerate(SERIES):
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
