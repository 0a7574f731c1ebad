"""Actions on a running session, and what the end of a run means for its course."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy, pgettext_lazy

from ..courses.holdback import record_checkin, record_run
from ..models import SessionRun

# The actions the session page offers; each names the step the person sees (`from_index`).
ACTIONS = {
    "advance": gettext_lazy("the step's time is up"),
    "skip": gettext_lazy("next step"),
    "back": pgettext_lazy("session action", "back"),
    "repeat": gettext_lazy("repeat the step"),
    "pause": pgettext_lazy("session action", "pause"),
    "resume": pgettext_lazy("session action", "resume"),
    "stop": pgettext_lazy("session action", "stop"),
    "lower": gettext_lazy("it hurts: lower the intensity"),
    "mild-pain": gettext_lazy("it hurts a little under the jar: go on"),
    "stop-pain": gettext_lazy("it hurts: stop"),
}


def _apply(run: SessionRun, action: str, index: int, now: dt.datetime) -> bool:
    match action:
        case "advance":
            return run.advance(index, now)
        case "skip":
            return run.advance(index, now, skipped=True)
        case "back":
            return run.back(index, now)
        case "repeat":
            return run.repeat(index, now)
        case "pause":
            return run.pause(now)
        case "resume":
            return run.resume(now)
        case "stop":
            return run.stop(SessionRun.StopReason.USER, now)
        case "lower":
            return run.lower_intensity(now)
        case "mild-pain":
            return run.note_mild_pain(now)
        case "stop-pain":
            return run.stop(SessionRun.StopReason.PAIN, now)
    raise ValueError(f"Unknown action {action!r}.")


@transaction.atomic
def perform(run: SessionRun, action: str, from_index: int, now: dt.datetime) -> bool:
    """Run one action; False when the session had already moved on (a stale request).

    When the action ends the run, its course session counts it in the same transaction.
    """
    moved = _apply(run, action, from_index, now)
    if moved and not run.is_live:
        record_run(run, now)
    return moved


@transaction.atomic
def finish(run: SessionRun, now: dt.datetime) -> bool:
    """End the run as done, whatever step it is on, and count it for its course."""
    ended = run.finish(now)
    if ended:
        record_run(run, now)
    return ended


# The check-in after a run (pain, the reading after, a note) is the course's to record: the run
# keeps it, and a course session copies it and adapts the next one.
check_in = record_checkin
