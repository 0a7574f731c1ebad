"""When a course's sessions fall: the first plan, postponing, and how many courses a year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..models import Course, CourseSession, Screening, Severity
from ..safety import Person, RuleBook, person_stops

# 2-4 full courses a year (seed 002): a fifth within twelve months gets a warning.
COURSES_PER_YEAR = 4
COURSE_SOURCES = ("002_8d9f8d67dee089ad.txt",)


def session_dates(start_date: dt.date, total_sessions: int, rhythm: str) -> list[dt.date]:
    gap = 1 if rhythm == Course.Rhythm.DAILY else 2
    return [start_date + dt.timedelta(days=gap * i) for i in range(total_sessions)]


def postpone_date(person: Person, today: dt.date, course: Course) -> dt.date:
    """The day after the last declared temporary condition ends, or the next rhythm day."""
    ends = person.temporary_ends()
    if ends:
        return max(ends) + dt.timedelta(days=1)
    return today + dt.timedelta(days=course.interval_days)


def courses_in_year(owner, start_date: dt.date) -> int:
    """This person's courses that start less than twelve months before or after `start_date`."""
    year = dt.timedelta(days=365)
    return Course.objects.filter(
        owner=owner, start_date__gt=start_date - year, start_date__lt=start_date + year
    ).count()


@dataclass(frozen=True)
class Waiting:
    """A course whose sessions a temporary condition moved, and to when."""

    course: Course
    until: dt.date
    reason: str


def next_session_day(session: CourseSession, today: dt.date) -> dt.date:
    """The day a session would be held: its planned day, or today once that day has passed."""
    return max(today, session.planned_date)


def postpone_while_waiting(owner, today: dt.date, rules: RuleBook | None = None) -> list[Waiting]:
    """Move every active course whose next session falls while a temporary condition lasts.

    Asked when the screening changes: the sessions the condition covers move to the day after
    it ends and the rest follow in the same rhythm, with no click of the person's. Only a
    condition with a known end date moves a course by itself; without one the course page
    asks the person when to go on.
    """
    rules = rules or RuleBook.load()
    screening = Screening.objects.of(owner)
    if screening is None:
        return []
    moved = []
    courses = Course.objects.owned_by(owner).filter(status=Course.Status.ACTIVE)
    for course in courses.prefetch_related("sessions"):
        upcoming = next((s for s in course.sessions.all() if s.is_pending), None)
        if upcoming is None:
            continue
        person = Person.of(owner, next_session_day(upcoming, today), screening)
        waits = [f for f in person_stops(person, rules) if f.severity == Severity.POSTPONE]
        if not waits or not person.temporary_ends():
            continue
        until = postpone_date(person, today, course)
        reason = " ".join(dict.fromkeys(f.message for f in waits))
        if course.postpone_until(until, reason):
            moved.append(Waiting(course, until, reason))
    return moved
