"""Template filters for lengths of time; the formats themselves live in routines.durations.

`{{ step.duration_s|duration }}` -> "1 min 30 s", `{{ remaining|clock }}` -> "01:30",
`{{ total_seconds|minutes }}` -> 2. A value that is not a number renders as nothing rather than
breaking the page.
"""

from django import template

from .. import durations

register = template.Library()


def _seconds(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@register.filter
def duration(value) -> str:
    seconds = _seconds(value)
    return "" if seconds is None else durations.duration(seconds)


@register.filter
def clock(value) -> str:
    seconds = _seconds(value)
    return "" if seconds is None else durations.clock(seconds)


@register.filter
def minutes(value) -> int | str:
    seconds = _seconds(value)
    return "" if seconds is None else durations.minutes(seconds)
