"""Lengths of time, written the one way the whole site writes them.

Pure functions of a number of seconds, so the safety messages, the views and the template
filters (`routines/templatetags/durations.py`) cannot drift apart. A part of a second always
counts as a whole one: "0.2 s left" is not "0 s", and a 61-second session is not "1 minute".
The units are abbreviations in every language ("1 min 30 s", "1 мин 30 с"), so no plural forms.
"""

import math

from django.utils.translation import gettext as _


def _whole_seconds(seconds: float) -> int:
    return max(0, math.ceil(seconds))


def duration(seconds: float) -> str:
    """How long something lasts, in words: 45 -> "45 s", 90 -> "1 min 30 s", 3725 -> "1 h 2 min"."""
    mins, secs = divmod(_whole_seconds(seconds), 60)
    hours, part = divmod(mins, 60)
    if hours:  # an hour or more: whole minutes are enough ("1 h 5 min")
        if not part:
            return _("%(hours)d h") % {"hours": hours}
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": part}
    if not mins:
        # Translators: lengths of time use abbreviated units, which take no plural forms.
        return _("%(seconds)d s") % {"seconds": secs}
    if not secs:
        return _("%(minutes)d min") % {"minutes": mins}
    return _("%(minutes)d min %(seconds)d s") % {"minutes": mins, "seconds": secs}


def clock(seconds: float) -> str:
    """A countdown's digits: 125 -> "02:05"; 3725 -> "62:05".

    Minutes never roll over into hours, because static/js/session.js draws the same digits in
    the browser and the two must agree when the page loads.
    """
    mins, secs = divmod(_whole_seconds(seconds), 60)
    return f"{mins:02d}:{secs:02d}"


def minutes(seconds: float) -> int:
    """Whole minutes, rounded up, for "about N minutes": 61 -> 2, 60 -> 1, 0 -> 0."""
    return math.ceil(_whole_seconds(seconds) / 60)
