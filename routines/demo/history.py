"""How far along a demo person is: two courses behind them, a third under way.

Every held session has the run that held it, with the events a real run logs (a start, a
"step completed" per step, now and then a pause, the finish; or a stop for pain), and the
session's record agrees with its run the way `CourseSession.record_result` writes it. Times and
pain follow a plausible course: evenings, pain easing session by session, readings near the
usual one for people with high blood pressure.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils import timezone

from ..courses.planner import PlannedSession
from ..courses.schedule import session_dates
from ..models import Course, CourseSession, Routine, RunEvent, SessionRun
from ..models.course import DAYS_UNTIL_NEXT_COURSE
from . import bulk

SESSIONS_EACH = 15
# Two finished courses about three months apart, then the current one: about 300 days.
DAYS_OF_HISTORY = 2 * (DAYS_UNTIL_NEXT_COURSE + 2 * SESSIONS_EACH + 14) + 2 * SESSIONS_EACH
PAIN_STOP_CHANCE = 0.03
PAUSE_CHANCE = 0.1
NOTE_CHANCE = 0.15
NOTES = (
    "Warm and loose afterwards.",
    "Slept well that night.",
    "A little sore the next morning, gone by noon.",
    "Getting out of bed was easier the next day.",
    "The lower back felt lighter.",
)
STOPPED_COURSE_REASON = "The back pain came back after session 8: seeing a doctor first."


class Event(NamedTuple):
    """A `RunEvent` row before its run has an id (thousands per batch: kept light)."""

    kind: str
    step_index: int
    at: dt.datetime
    detail: str = ""


@dataclass
class Held:
    """A run that held a course session, and the events it logged."""

    run: SessionRun
    events: list[Event]


@dataclass
class CourseHistory:
    course: Course
    sessions: list[CourseSession] = field(default_factory=list)
    held: list[Held] = field(default_factory=list)


@dataclass(frozen=True)
class Outline:
    """One course of a person: which routine, when it started, how many sessions were held."""

    routine: Routine
    planned: Sequence[PlannedSession]
    start: dt.date
    held: int
    status: str
    pain_stops: bool = True


def courses_for(user, profile, routines: list[Routine], plans, today: dt.date):
    """The person's three courses, oldest first (so the newest gets the highest id)."""
    rng = random.Random(f"courses-{profile.number}")
    rhythm = Course.Rhythm.DAILY if profile.number % 5 == 4 else Course.Rhythm.EVERY_OTHER_DAY
    gap = 1 if rhythm == Course.Rhythm.DAILY else 2
    span = gap * (SESSIONS_EACH - 1)
    # The current course: `due` sessions lie in the past, the next one is today or tomorrow.
    due = rng.randint(1, 11)
    current = today - dt.timedelta(days=gap * due - rng.randrange(gap))
    second = current - dt.timedelta(days=DAYS_UNTIL_NEXT_COURSE + span + rng.randint(0, 14))
    first = second - dt.timedelta(days=DAYS_UNTIL_NEXT_COURSE + span + rng.randint(0, 14))
    second_stopped = rng.random() < 0.08
    missed_one = rng.random() < 0.2
    outlines = [
        Outline(routines[0], plans[0], first, SESSIONS_EACH, Course.Status.FINISHED),
        Outline(
            routines[1],
            plans[1],
            second,
            8 if second_stopped else SESSIONS_EACH,
            Course.Status.STOPPED if second_stopped else Course.Status.FINISHED,
        ),
        Outline(
            routines[0],
            plans[0],
            current,
            due - missed_one,
            Course.Status.ACTIVE,
            pain_stops=False,
        ),
    ]
    return [_course(user, profile, outline, rhythm, rng) for outline in outlines]


def _course(user, profile, outline: Outline, rhythm: str, rng: random.Random) -> CourseHistory:
    stopped = outline.status == Course.Status.STOPPED
    course = Course(
        owner=user,
        routine=outline.routine,
        name=f"Course: {outline.routine.name}"[:120],
        total_sessions=len(outline.planned),
        rhythm=rhythm,
        start_date=outline.start,
        status=outline.status,
        stop_reason=STOPPED_COURSE_REASON if stopped else "",
    )
    history = CourseHistory(course)
    first_pain = rng.randint(4, 7)
    dates = session_dates(outline.start, len(outline.planned), rhythm)
    for planned, day in zip(outline.planned, dates, strict=True):
        session = CourseSession(
            course=course,
            index=planned.index,
            planned_date=day,
            target_minutes=planned.target_minutes,
            max_intensity=planned.max_intensity,
            plan=planned.plan,
            removed=planned.removed,
        )
        history.sessions.append(session)
        if planned.index <= outline.held:
            pain_stop = outline.pain_stops and rng.random() < PAIN_STOP_CHANCE
            eased = 1 - 0.6 * (planned.index - 1) / (SESSIONS_EACH - 1)
            pain = max(0, min(10, round(first_pain * eased) + rng.choice((-1, 0, 0, 1))))
            history.held.append(_hold(session, profile, pain, pain_stop, rng))
    return history


def _hold(
    session: CourseSession, profile, pain_before: int, pain_stop: bool, rng: random.Random
) -> Held:
    """The run that held `session`, and the session's record of it."""
    started = dt.datetime.combine(
        session.planned_date, dt.time(17), tzinfo=timezone.get_current_timezone()
    ) + dt.timedelta(minutes=rng.randint(0, 240))
    run = SessionRun(
        owner=session.course.owner,
        routine=session.course.routine,
        course_session=session,
        title=f"{session.course.name} — session {session.index} of {session.course.total_sessions}",
        plan=session.plan,
        started_at=started,
        pain_before=pain_before,
    )
    events = _run_events(run, rng, pain_stop)
    run.state = SessionRun.State.STOPPED if pain_stop else SessionRun.State.FINISHED
    run.stop_reason = SessionRun.StopReason.PAIN if pain_stop else SessionRun.StopReason.NONE
    run.ended_at = events[-1].at
    if pain_stop:
        run.pain_after = min(10, pain_before + rng.randint(1, 2))
    else:
        run.pain_after = max(0, pain_before - rng.choice((0, 1, 1, 2)))
    if profile.usual_systolic:
        run.systolic_before = min(160, profile.usual_systolic + rng.randint(-8, 6))
        run.systolic_after = run.systolic_before - rng.randint(0, 8)
    run.day_check = {
        "date": session.planned_date.isoformat(),
        "today_conditions": [],
        "systolic": run.systolic_before,
        "prep_done": [],
    }
    run.note = rng.choice(NOTES) if rng.random() < NOTE_CHANCE else ""
    worked = (run.ended_at - started).total_seconds() - _paused(events)
    session.status = CourseSession.Status.STOPPED if pain_stop else CourseSession.Status.DONE
    session.minutes_done = round(worked / 60)
    session.pain_before, session.pain_after = run.pain_before, run.pain_after
    session.systolic_before, session.systolic_after = run.systolic_before, run.systolic_after
    session.note = run.note
    session.completed_at = run.ended_at
    return Held(run, events)


def _run_events(run: SessionRun, rng: random.Random, pain_stop: bool) -> list[Event]:
    """Start, each step run to its end (sometimes with a pause), then finish or stop for pain.

    Sets where the run ended: its step and when that step began.
    """
    plan, Kind = run.plan, RunEvent.Kind
    stop_at = rng.randint(1, len(plan) - 2) if pain_stop and len(plan) > 2 else None
    pause_at = (
        rng.randrange(len(plan) - 1) if not pain_stop and rng.random() < PAUSE_CHANCE else None
    )
    at = run.started_at
    events = [Event(Kind.START, 0, at)]
    for index, item in enumerate(plan):
        run.current_index, run.step_started_at = index, at
        seconds = int(item["duration_s"])
        if index == pause_at:
            paused_from = at + dt.timedelta(seconds=seconds // 2)
            pause = dt.timedelta(seconds=rng.randint(30, 180))
            events.append(Event(Kind.PAUSE, index, paused_from))
            events.append(Event(Kind.RESUME, index, paused_from + pause))
            at += pause
        if index == stop_at:
            at += dt.timedelta(seconds=seconds // 3)
            events.append(Event(Kind.STOP, index, at, SessionRun.StopReason.PAIN.label))
            return events
        at += dt.timedelta(seconds=seconds)
        events.append(Event(Kind.COMPLETE, index, at))
    events.append(Event(Kind.FINISH, len(plan) - 1, at))
    return events


def _paused(events: list[Event]) -> float:
    pauses = [e.at for e in events if e.kind == RunEvent.Kind.PAUSE]
    resumes = [e.at for e in events if e.kind == RunEvent.Kind.RESUME]
    return sum((r - p).total_seconds() for p, r in zip(pauses, resumes, strict=True))


def save(courses: list[CourseHistory], *, batch_size: int) -> None:
    """Write courses, their sessions, the runs and the events, parents first."""
    Course.objects.bulk_create([c.course for c in courses], batch_size=batch_size)
    sessions = [s for c in courses for s in c.sessions]
    runs = [h.run for c in courses for h in c.held]
    with bulk.plans_written_once(CourseSession, sessions):
        CourseSession.objects.bulk_create(sessions, batch_size=batch_size)
    with bulk.plans_written_once(SessionRun, runs):
        SessionRun.objects.bulk_create(runs, batch_size=batch_size)
    bulk.insert_rows(
        RunEvent,
        ("run", "kind", "step_index", "at", "detail"),
        [(h.run.pk, *e) for c in courses for h in c.held for e in h.events],
    )
