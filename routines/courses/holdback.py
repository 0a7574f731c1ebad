"""How a course reacts to a session that went badly: the next one does not step up.

Three hold-back rules, each citing its sources. When a session hurt (pain rose, or it was
stopped for pain) or was cut to under half its time, the next session keeps this one's minutes
and intensity cap instead of progressing, and is planned again through the engine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ..models import CourseSession, Intensity, SessionRun
from ..models.course import PENDING
from ..safety import Person, RuleBook
from ..safety.findings import S002, S003, S004
from .planner import replan_session


@dataclass(frozen=True)
class HoldBack:
    code: str
    reason: str
    sources: tuple[str, ...]


def hold_back(session: CourseSession) -> HoldBack | None:
    """Why the session after this one should not step up; None when all went well."""
    if session.status == CourseSession.Status.STOPPED:
        # Pain means lowering the intensity or stopping (002, 003); the next session eases off.
        reason = f"Session {session.index} was stopped for pain"
        return HoldBack("stopped-for-pain", reason, (S002, S003))
    before, after = session.pain_before, session.pain_after
    if before is not None and after is not None and after > before:
        reason = f"Pain rose from {before} to {after} out of 10 after session {session.index}"
        return HoldBack("pain-rose", reason, (S002, S003))
    if session.minutes_done is not None and session.minutes_done * 2 < session.target_minutes:
        # Sessions lengthen gradually (004, 002): one cut short is no step to build on. The
        # "under half" line is this app's choice, not a figure from the sources.
        reason = (
            f"Session {session.index} ended after {session.minutes_done} of about "
            f"{session.target_minutes} minutes"
        )
        return HoldBack("cut-short", reason, (S004, S002))
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
    if following is None or following.held_back_reason.startswith(why.reason):
        return False
    following.target_minutes = min(following.target_minutes, session.target_minutes)
    following.max_intensity = min(following.max_intensity, session.max_intensity)
    if not SessionRun.objects.filter(course_session=following).exists():
        replan_session(following, Person.of(following.course.owner, today), rules=rules)
    following.held_back_reason = (
        f"{why.reason}, so session {following.index} stays at about {following.target_minutes} "
        f"minutes and no stronger than {Intensity(following.max_intensity).label}."
    )[:300]
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
