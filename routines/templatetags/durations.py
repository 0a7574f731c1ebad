"""Show seconds the way people read a clock."""

from django import template

register = template.Library()


@register.filter
def mmss(seconds) -> str:
    """90 -> "1:30"; an hour or more -> "1:02:05"."""
    try:
        total = int(seconds or 0)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
