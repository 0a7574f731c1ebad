"""A person's rights over their data: all of it as one document, and erasing all of it.

Both walk the same rows: the account, the screening with its declared conditions, the routines
with their steps, the session runs with their events, check-ins and readings, and the courses with
their sessions. The export reads them in a fixed number of queries, however much there is.
"""

import datetime as dt

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import models, transaction
from django.db.models import Prefetch

from .models import (
    Course,
    DeclaredCondition,
    Preferences,
    Routine,
    RoutineStep,
    Screening,
    SessionRun,
)

FORMAT = "backwise-personal-data"
VERSION = 1
ACCOUNT_FIELDS = ("username", "email", "first_name", "last_name", "date_joined", "last_login")


def _fields(row: models.Model, *, parent: str = "", slugs: tuple[str, ...] = ()) -> dict:
    """Every stored column of `row`: new columns join the export by themselves.

    `parent` is the link to the row it is nested in (left out: the nesting says it); the
    catalogue rows named in `slugs` appear as their slug, which the library pages use too.
    """
    data = {}
    for field in row._meta.concrete_fields:
        if field.name == parent:
            continue
        if field.name in slugs:
            related = getattr(row, field.name)
            data[field.name] = related.slug if related is not None else None
        else:
            data[field.attname] = field.value_from_object(row)
    return data


def _screening(user) -> dict | None:
    screening = (
        Screening.objects.filter(user=user)
        .prefetch_related(
            Prefetch("declared", DeclaredCondition.objects.select_related("condition"))
        )
        .first()
    )
    if screening is None:
        return None
    return {
        **_fields(screening, parent="user"),
        "declared_conditions": [
            {**_fields(d, parent="screening", slugs=("condition",)), "name": d.condition.name}
            for d in screening.declared.all()
        ],
    }


def _routines(user) -> list[dict]:
    steps = RoutineStep.objects.select_related("technique", "zone").order_by("position")
    routines = (
        Routine.objects.owned_by(user)
        .select_related("massage_type")
        .prefetch_related(Prefetch("steps", steps))
        .order_by("pk")
    )
    return [
        {
            **_fields(r, parent="owner", slugs=("massage_type",)),
            "steps": [
                _fields(s, parent="routine", slugs=("technique", "zone")) for s in r.steps.all()
            ],
        }
        for r in routines
    ]


def _session_runs(user) -> list[dict]:
    runs = SessionRun.objects.owned_by(user).prefetch_related("events").order_by("started_at", "pk")
    return [
        {
            **_fields(run, parent="owner"),
            "events": [_fields(e, parent="run") for e in run.events.all()],
        }
        for run in runs
    ]


def _courses(user) -> list[dict]:
    courses = Course.objects.owned_by(user).prefetch_related("sessions").order_by("pk")
    return [
        {
            **_fields(course, parent="owner"),
            "sessions": [_fields(s, parent="course") for s in course.sessions.all()],
        }
        for course in courses
    ]


def export(user, now: dt.datetime) -> dict:
    """Everything the person entered, or that the site keeps about them, ready for JSON."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now,
        "account": {name: getattr(user, name) for name in ACCOUNT_FIELDS},
        "preferences": {
            "language": Preferences.objects.filter(user=user)
            .values_list("language", flat=True)
            .first()
            or "",
        },
        "screening": _screening(user),
        "routines": _routines(user),
        "session_runs": _session_runs(user),
        "courses": _courses(user),
    }


@transaction.atomic
def erase(user) -> None:
    """Delete the account and every row it owns, all at once or not at all.

    The database cascades from the user to the screening, routines, runs and courses and on to
    their steps, conditions, events and sessions; the login throttle's records name the account
    only by its username, so they go by that.
    """
    username = user.get_username()
    for record in (AccessAttempt, AccessFailureLog, AccessLog):
        record.objects.filter(username=username).delete()
    user.delete()
