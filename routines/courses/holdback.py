"""How a course reacts to a session that went badly: the next one does not step up.

Three hold-back rules, each citing its sources. When a session hurt (pain rose, or it was
stopped for pain) or was cut to under half its time, the next session keeps this one's minutes
and intensity cap instead of progressing, and is planned again through the engine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import ngettext

from ..models import CourseSession, Intensity, SessionRun
from ..models.course import PENDING
from ..safety import Person, RuleBook
from ..safety.findings import S002, S003, S004
from .planner import replan_session


@dataclass(frozen=True)
class HoldBack:
    code: str
    session: CourseSession
    sources: tuple[str, ...]

    def note(self, following: CourseSession) -> str:
        """Why `following` stays where it is: one sentence per reason, in the active language."""
        values = {
            "index": self.session.index,
            "before": self.session.pain_before,
            "after": self.session.pain_after,
            "done": self.session.minutes_done,
            "target": self.session.target_minutes,
            "next": following.index,
            "count": following.target_minutes,
            "intensity": Intensity(following.max_intensity).label,
        }
        if self.code == "stopped-for-pain":
            text = ngettext(
                # Translators: %(count)d counts the minutes of session %(next)d; %(intensity)s
                # is "gentle", "moderate" or "intense".
                "Session %(index)d was stopped for pain, so session %(next)d stays at about "
                "%(count)d minute and no stronger than %(intensity)s.",
                "Session %(index)d was stopped for pain, so session %(next)d stays at about "
                "%(count)d minutes and no stronger than %(intensity)s.",
                following.target_minutes,
            )
        elif self.code == "pain-rose":
            text = ngettext(
                # Translators: %(count)d counts the minutes of session %(next)d.
                "Pain rose from %(before)d to %(after)d out of 10 after session %(index)d, so "
                "session %(next)d stays at about %(count)d minute and no stronger than "
                "%(intensity)s.",
                "Pain rose from %(before)d to %(after)d out of 10 after session %(index)d, so "
                "session %(next)d stays at about %(count)d minutes and no stronger than "
                "%(intensity)s.",
                following.target_minutes,
            )
        else:
            text = ngettext(
                # Translators: %(count)d counts the minutes of session %(next)d.
                "Session %(index)d ended after %(done)d of about %(target)d minutes, so session "
                "%(next)d stays at about %(count)d minute and no stronger than %(intensity)s.",
                "Session %(index)d ended after %(done)d of about %(target)d minutes, so session "
                "%(next)d stays at about %(count)d minutes and no stronger than %(intensity)s.",
                following.target_minutes,
            )
        return (text % values)[:300]

    def noted_on(self, following: CourseSession) -> bool:
        """Is this already the reason `following` gives, in any of the site's languages?"""
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                if following.held_back_reason == self.note(following):
                    return True
        return False


def hold_back(session: CourseSession) -> HoldBack | None:
    """Why the session after this one should not step up; None when all went well."""
    if session.status == CourseSession.Status.STOPPED:
        # Pain means lowering the intensity or stopping (002, 003); the next session eases off.
        return HoldBack("stopped-for-pain", session, (S002, S003))
    before, after = session.pain_before, session.pain_after
    if before is not None and after is not None and after > before:
        return HoldBack("pain-rose", session, (S002, S003))
    if session.minutes_done is not None and session.minutes_done * 2 < session.target_minutes:
        # Sessions lengthen gradually (004, 002): one cut short is no step to build on. The
        # "under half" line is this app's choice, not a figure from the sources.
        return HoldBack("cut-short", session, (S004, S002))
    return None


def adapt_next(session: CourseSession, today: dt.date, rules: RuleBook | None = None) -> bool:
    """Hold the next session at this one's length and strength when this one went badly."""
    why = hold_back(session)
    if why is None:
        return False
    following = (
        CourseSession.objects.select_for_update(of=("self",))
        .select_related("course__routine", "course__owner")
        .filter(course_id=session.course_id, index=session.index + 1, status__in=PENDING)
        .first()
    )
    if following is None:
        return False
    following.target_minutes = min(following.target_minutes, session.target_minutes)
    following.max_intensity = min(following.max_intensity, session.max_intensity)
    if why.noted_on(following):
        return False
    if not SessionRun.objects.filter(course_session=following).exists():
        replan_session(following, Person.of(following.course.owner, today), rules=rules)
    following.held_back_reason = why.note(following)
    following.save(
        update_fields=["target_minutes", "max_intensity", "plan", "removed", "held_back_reason"]
    )
    return True


@transaction.atomic
def record_run(run: SessionRun, now: dt.datetime) -> bool:
    """Count an ended run for its course session exactly once, then let the course react."""
    session = run.course_session
    if session is None or not session.record_result(run, now):
        return False
    adapt_next(session, timezone.localdate(now))
    session.course.finish_if_complete()
    return True


@transaction.atomic
def record_checkin(
    run: SessionRun,
    *,
    pain_after: int | None,
    note: str,
    today: dt.date,
    systolic_after: int | None = None,
) -> None:
    """Pain, the reading after and a note given after the run; a course session adapts its
    next session too."""
    run.record_checkin(pain_after=pain_after, note=note, systolic_after=systolic_after)
    session = run.course_session
    if session is not None:
        session.record_checkin(run.pain_before, pain_after, note, systolic_after)
        if session.is_held:
            adapt_next(session, today)
