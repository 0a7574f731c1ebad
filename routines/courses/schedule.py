"""When a course's sessions fall: the first plan, postponing, and how many courses a year."""

from __future__ import annotations

import datetime as dt

from ..models import Course
from ..safety import Person

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
