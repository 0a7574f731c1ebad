"""A course's sessions still to do as an iCalendar file, one all-day event each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import icalendar
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Course, CourseSession


def schedule_ics(course: Course, sessions: Iterable[CourseSession], *, now, host: str) -> bytes:
    """One all-day event per session still to do."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Backwise//course schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", course.name)
    routine_name = course.routine.name if course.routine else course.name
    for session in sessions:
        event = icalendar.Event()
        event.add("uid", f"course-{course.pk}-session-{session.index}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", session.planned_date)
        event.add("dtend", session.planned_date + dt.timedelta(days=1))
        summary = _("Back massage — session %(index)d of %(total)d") % {
            "index": session.index,
            "total": course.total_sessions,
        }
        description = ngettext(
            "About %(count)d minute of %(routine)s. Open and close with gentle stroking; "
            "stop if anything hurts.",
            "About %(count)d minutes of %(routine)s. Open and close with gentle stroking; "
            "stop if anything hurts.",
            session.target_minutes,
        ) % {"count": session.target_minutes, "routine": routine_name}
        event.add("summary", summary)
        event.add("description", description)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
