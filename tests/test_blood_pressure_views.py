"""With high blood pressure, the reading is taken before and after every session (002).

Before: the same-day check requires today's reading (its own tests live with the day check).
After: the summary asks for the reading once the last step is done; both readings are kept on
the run and on the course session, and the course page shows them in its table and a chart.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from routines.courses import planner
from routines.models import Contraindication, CourseSession, Routine, SessionRun
from routines.safety import Person
from tests.factories import DeclaredConditionFactory, ScreeningFactory
from tests.routine_helpers import safe_routine

AFTER_LABEL = "Blood pressure after the massage"


@pytest.fixture
def hypertensive(library, user):
    screening = ScreeningFactory(user=user, usual_systolic=140)
    DeclaredConditionFactory(
        screening=screening, condition=Contraindication.objects.get(slug="hypertension")
    )
    return user


def course_for(user):
    routine = Routine.objects.get(slug="relaxing-20-minutes", owner=None)
    person = Person.of(user, timezone.localdate())
    sessions = planner.plan_course(
        routine,
        person,
        total_sessions=10,
        rhythm="every_other_day",
        start_date=timezone.localdate(),
    )
    assert not planner.plan_blockers(sessions)
    return planner.create_course(
        user, routine, sessions, name="Calm course", rhythm="every_other_day"
    )


def start_course_session(client, course, systolic="150"):
    url = reverse("routines:course-session-start", args=[course.pk, 1])
    return client.post(url, {"check": "1", "systolic": systolic})


def finish(client, run):
    run.refresh_from_db()
    url = reverse("routines:session-step", args=[run.pk])
    while run.is_live:
        client.post(url, {"action": "skip", "from_index": run.current_index})
        run.refresh_from_db()


def test_the_course_session_keeps_the_reading_taken_before(client_logged_in, hypertensive):
    course = course_for(hypertensive)

    response = start_course_session(client_logged_in, course)

    assert response.status_code == 302
    run = SessionRun.objects.get(course_session__course=course)
    assert run.systolic_before == 150


def test_the_summary_asks_for_the_reading_after_and_keeps_both(client_logged_in, hypertensive):
    course = course_for(hypertensive)
    start_course_session(client_logged_in, course)
    run = SessionRun.objects.get(course_session__course=course)
    finish(client_logged_in, run)
    summary = reverse("routines:session-summary", args=[run.pk])

    page = client_logged_in.get(summary).content.decode()
    assert AFTER_LABEL in page
    assert "150 mmHg" in page

    response = client_logged_in.post(summary, {"pain_after": "2", "systolic_after": "138"})

    assert response.status_code == 302
    run.refresh_from_db()
    session = CourseSession.objects.get(course=course, index=1)
    assert (run.systolic_before, run.systolic_after) == (150, 138)
    assert (session.systolic_before, session.systolic_after) == (150, 138)


@pytest.mark.parametrize("reading", ["300", "12", "abc", "-5"])
def test_an_implausible_reading_after_is_refused_and_nothing_is_saved(
    client_logged_in, hypertensive, reading
):
    course = course_for(hypertensive)
    start_course_session(client_logged_in, course)
    run = SessionRun.objects.get(course_session__course=course)
    finish(client_logged_in, run)

    response = client_logged_in.post(
        reverse("routines:session-summary", args=[run.pk]),
        {"pain_after": "2", "systolic_after": reading},
    )

    assert response.status_code == 422
    assert "mmHg" in response.content.decode()
    run.refresh_from_db()
    assert (run.pain_after, run.systolic_after) == (None, None)


def test_the_course_page_shows_both_readings_in_its_table_and_chart(client_logged_in, hypertensive):
    course = course_for(hypertensive)
    start_course_session(client_logged_in, course)
    run = SessionRun.objects.get(course_session__course=course)
    finish(client_logged_in, run)
    client_logged_in.post(
        reverse("routines:session-summary", args=[run.pk]), {"systolic_after": "138"}
    )

    html = client_logged_in.get(course.get_absolute_url()).content.decode()

    assert "150 → 138" in html
    assert '<title id="bp-title">Blood pressure before and after' in html
    assert 'class="series series-systolic_before"' in html
    assert 'class="series series-systolic_after"' in html


def test_without_a_reading_before_the_summary_asks_for_none(client_logged_in, library, user):
    routine = safe_routine(user)
    client_logged_in.post(reverse("routines:session-start", args=[routine.pk]), {"check": "1"})
    run = SessionRun.objects.get(routine=routine)
    finish(client_logged_in, run)

    page = client_logged_in.get(reverse("routines:session-summary", args=[run.pk]))

    assert AFTER_LABEL not in page.content.decode()
    course_html = client_logged_in.get(reverse("routines:dashboard")).content.decode()
    assert "Blood pressure before" not in course_html


def test_a_routine_session_keeps_both_readings_too(client_logged_in, hypertensive):
    routine = safe_routine(hypertensive)
    routine.steps.update(direction="top_to_bottom")  # every movement downward (002)
    client_logged_in.post(
        reverse("routines:session-start", args=[routine.pk]), {"check": "1", "systolic": "142"}
    )
    run = SessionRun.objects.get(routine=routine)
    finish(client_logged_in, run)

    client_logged_in.post(
        reverse("routines:session-summary", args=[run.pk]), {"systolic_after": "131"}
    )

    run.refresh_from_db()
    assert (run.systolic_before, run.systolic_after) == (142, 131)
    page = client_logged_in.get(reverse("routines:session-summary", args=[run.pk]))
    assert "142 mmHg" in page.content.decode() and "131 mmHg" in page.content.decode()
