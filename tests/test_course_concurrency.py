"""A course session counts exactly once when finish requests race each other.

Meaningful on PostgreSQL, where the threads really run their transactions side by side and only
the row lock in `CourseSession.record_result` keeps the second one from counting again. SQLite
allows one writer at a time (a second one fails with "database is locked" rather than waiting),
so there the calls are taken one after another: the test then still proves the repeat is
ignored. CI runs the suite on both databases.
"""

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from routines.courses import planner
from routines.models import CourseSession, Routine, SessionRun
from routines.safety import Person
from routines.sessions import actions
from tests.factories import UserFactory

NOW = dt.datetime(2026, 3, 2, 18, 0, tzinfo=dt.UTC)


def _course_session_with_ended_run():
    call_command("load_library", verbosity=0)
    user = UserFactory()
    routine = Routine.objects.get(slug="lumbar-protocol")
    sessions = planner.plan_course(
        routine,
        Person(),
        total_sessions=10,
        rhythm="daily",
        start_date=NOW.date(),
    )
    course = planner.create_course(user, routine, sessions, name="Race", rhythm="daily")
    session = course.sessions.get(index=1)
    # The run has ended on its own row; the course side has not counted it yet.
    run = SessionRun.objects.create(
        owner=user,
        title="Race",
        plan=session.plan,
        course_session=session,
        started_at=NOW,
        step_started_at=NOW,
        ended_at=NOW + dt.timedelta(minutes=10),
        state=SessionRun.State.FINISHED,
        pain_before=3,
        pain_after=2,
    )
    return session, run


def _race(target, count: int) -> list:
    """Call `target` from `count` threads released together; return what each returned."""
    barrier = threading.Barrier(count)
    serial = threading.Lock() if connection.vendor == "sqlite" else None
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            if serial:
                with serial:
                    results.append(target())
            else:
                results.append(target())
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("threads", [2, 4])
def test_concurrent_finishes_count_the_session_exactly_once(threads):
    session, run = _course_session_with_ended_run()

    def finish():
        return CourseSession.objects.get(pk=session.pk).record_result(
            SessionRun.objects.get(pk=run.pk), NOW + dt.timedelta(minutes=10)
        )

    results = _race(finish, threads)

    assert sorted(results) == [False] * (threads - 1) + [True]
    session.refresh_from_db()
    assert session.status == CourseSession.Status.DONE
    assert session.course.sessions.held().count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_finishes_of_the_run_count_the_session_once():
    session, run = _course_session_with_ended_run()
    SessionRun.objects.filter(pk=run.pk).update(state=SessionRun.State.RUNNING, ended_at=None)

    def finish():
        return actions.finish(SessionRun.objects.get(pk=run.pk), NOW + dt.timedelta(minutes=10))

    results = _race(finish, 3)

    assert sorted(results) == [False, False, True]
    session.refresh_from_db()
    assert session.status == CourseSession.Status.DONE
    assert session.completed_at == NOW + dt.timedelta(minutes=10)
