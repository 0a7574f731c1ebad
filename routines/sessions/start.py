"""One way to start a session, for a routine and for a course session alike.

The same-day check's answers join the person's screening (`Person.on`), the engine judges the
steps, and only then does a run begin. An absolute condition refuses the start; a temporary one
(or today's blood pressure) refuses it for today, and in a course moves the sessions still to do;
a course session whose single steps a new condition rules out is planned again first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..courses.planner import replan_session, steps_from_plan
from ..courses.schedule import postpone_date
from ..models import CourseSession, Routine, SessionRun, Severity
from ..safety import CourseContext, Person, Report, RuleBook, StepLike, check
from .plan import build_plan, with_findings


@dataclass
class Candidate:
    """What would run: the steps of a routine, or the frozen plan of a course session."""

    title: str
    steps: list[StepLike]
    massage_type_id: int | None = None
    routine: Routine | None = None
    course_session: CourseSession | None = None
    course: CourseContext | None = None

    @classmethod
    def of_routine(cls, routine: Routine) -> Candidate:
        steps = list(routine.ordered_steps())
        return cls(routine.name, steps, routine.massage_type_id, routine=routine)

    @classmethod
    def of_course_session(cls, session: CourseSession, rules: RuleBook) -> Candidate:
        course = session.course
        return cls(
            _("%(course)s — session %(index)d of %(total)d")
            % {"course": course.name, "index": session.index, "total": course.total_sessions},
            steps_from_plan(session.plan),
            course.routine.massage_type_id if course.routine else None,
            routine=course.routine,
            course_session=session,
            course=rules.course_context(session.index),
        )

    def plan(self, report: Report) -> list[dict]:
        """What the run will follow: a course session keeps its frozen plan (rest included)."""
        if self.course_session is not None:
            return with_findings(self.course_session.plan, report)
        return build_plan(self.steps, report)

    @property
    def total_seconds(self) -> int:
        return sum(s.duration_s for s in self.steps)

    def judge(self, person: Person, rules: RuleBook) -> Report:
        return check(
            self.steps,
            person,
            massage_type_id=self.massage_type_id,
            course=self.course,
            rules=rules,
        )


@dataclass
class Started:
    report: Report
    run: SessionRun | None = None
    reason: str = ""
    postponed_until: dt.date | None = None


def start(
    owner,
    candidate: Candidate,
    person: Person,
    *,
    now: dt.datetime,
    day_check: dict | None = None,
    pain_before: int | None = None,
    rules: RuleBook | None = None,
) -> Started:
    """Start a run when the engine lets this person start it today; otherwise say why not."""
    rules = rules or RuleBook.load()
    report = candidate.judge(person, rules)
    if stops := report.of_severity(Severity.BLOCK):
        return Started(report, reason=report.reasons(stops))
    if waits := report.of_severity(Severity.POSTPONE):
        return _postpone(candidate, person, report, waits)
    if not report.can_start and candidate.course_session is not None:
        candidate, report = _replan(candidate, person, rules)
    if not report.can_start:
        return Started(report, reason=report.reasons())
    session = candidate.course_session
    if session is not None:
        # A run that ended without counting (an old, abandoned one) frees the session again.
        SessionRun.objects.filter(course_session=session).update(course_session=None)
    run = SessionRun.objects.start(
        owner,
        candidate.title,
        candidate.plan(report),
        now,
        routine=candidate.routine,
        course_session=session,
        day_check=day_check,
        pain_before=pain_before,
    )
    return Started(report, run=run)


def _postpone(candidate: Candidate, person: Person, report: Report, waits) -> Started:
    reason = report.reasons(waits)
    session = candidate.course_session
    if session is None:
        return Started(report, reason=reason)
    today = person.day or dt.date.today()
    until = postpone_date(person, today, session.course)
    session.course.postpone_until(until, reason, from_index=session.index)
    return Started(report, reason=reason, postponed_until=until)


def _replan(candidate: Candidate, person: Person, rules: RuleBook) -> tuple[Candidate, Report]:
    session = candidate.course_session
    replan_session(session, person, rules=rules)
    session.save(update_fields=["plan", "removed"])
    candidate = Candidate.of_course_session(session, rules)
    return candidate, candidate.judge(person, rules)
