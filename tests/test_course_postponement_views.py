"""A temporary condition postpones the course by itself (brief section 3, rule table of 9).

Declaring fever, a period or a flare-up with an end date moves the sessions it covers to the
day after it ends and shifts the rest, with no extra click; the dashboard and the course page
say so; the "wait" banner and postpone form are gone once done; and the dashboard never offers
"Start" for a session the course page forbids.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from routines.courses import planner
from routines.models import Contraindication, CourseSession, Routine
from routines.safety import Person
from tests.budgets import PERSONAL_BUILD, build_queries
from tests.factories import DeclaredConditionFactory, ScreeningFactory

SCREENING = reverse("routines:screening")
DASHBOARD = reverse("routines:dashboard")


def make_course(user, start):
    routine = Routine.objects.get(slug="relaxing-20-minutes", owner=None)
    sessions = planner.plan_course(
        routine, Person(), total_sessions=10, rhythm="every_other_day", start_date=start
    )
    return planner.create_course(
        user, routine, sessions, name="Calm course", rhythm="every_other_day"
    )


def dates(course):
    return list(course.sessions.order_by("index").values_list("planned_date", flat=True))


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.mark.parametrize("condition", ["fever", "menstruation", "exacerbation"])
def test_declaring_a_temporary_condition_postpones_the_course_with_no_extra_click(
    client_logged_in, library, user, today, condition
):
    course = make_course(user, today)
    before = dates(course)
    until = today + dt.timedelta(days=3)

    response = client_logged_in.post(
        SCREENING, {"conditions": [condition], f"until-{condition}": until.isoformat()}, follow=True
    )

    after = dates(course)
    gap = (until + dt.timedelta(days=1) - before[0]).days
    assert after == [d + dt.timedelta(days=gap) for d in before]
    first = course.sessions.get(index=1)
    assert first.status == CourseSession.Status.POSTPONED
    assert first.held_back_reason.startswith("Postponed to")
    assert "now goes on from" in response.content.decode()


def test_the_course_page_says_so_and_offers_no_wait_banner_or_postpone_form(
    client_logged_in, library, user, today
):
    course = make_course(user, today)
    until = today + dt.timedelta(days=3)
    client_logged_in.post(SCREENING, {"conditions": ["fever"], "until-fever": until.isoformat()})

    html = client_logged_in.get(course.get_absolute_url()).content.decode()

    assert "Postponed to" in html
    assert "wait for now" not in html and "Postpone the course" not in html
    assert "Start session 1" in html
    dashboard = client_logged_in.get(DASHBOARD).content.decode()
    assert "Postponed to" in dashboard
    assert "waits" not in dashboard


def test_a_condition_ending_before_the_next_session_moves_nothing(
    client_logged_in, library, user, today
):
    course = make_course(user, today + dt.timedelta(days=10))
    before = dates(course)

    client_logged_in.post(
        SCREENING,
        {"conditions": ["fever"], "until-fever": (today + dt.timedelta(days=2)).isoformat()},
    )

    assert dates(course) == before
    assert not course.sessions.filter(status=CourseSession.Status.POSTPONED).exists()


def test_the_dashboard_offers_no_start_for_a_session_the_course_page_forbids(
    client_logged_in, library, user, today
):
    course = make_course(user, today)
    # A temporary condition with no end date cannot move the course by itself: it waits.
    screening = ScreeningFactory(user=user)
    DeclaredConditionFactory(
        screening=screening, condition=Contraindication.objects.get(slug="fever"), until=None
    )

    dashboard = client_logged_in.get(DASHBOARD).content.decode()
    page = client_logged_in.get(course.get_absolute_url()).content.decode()

    assert "Start session 1" not in page
    assert "Start session 1" not in dashboard
    assert "session 1 waits" in dashboard


def test_an_absolute_condition_shows_no_start_on_the_dashboard_either(
    client_logged_in, library, user, today
):
    make_course(user, today)
    screening = ScreeningFactory(user=user)
    DeclaredConditionFactory(
        screening=screening, condition=Contraindication.objects.get(slug="oncology")
    )

    dashboard = client_logged_in.get(DASHBOARD).content.decode()

    assert "Start session 1" not in dashboard
    assert "no massage" in dashboard


def test_the_same_day_check_postpones_the_course_too(client_logged_in, library, user, today):
    course = make_course(user, today)
    before = dates(course)

    response = client_logged_in.post(
        reverse("routines:course-session-start", args=[course.pk, 1]),
        {"check": "1", "fever": "on"},
    )

    assert response.status_code in {200, 302}
    assert dates(course)[0] > before[0]
    assert course.sessions.get(index=1).status == CourseSession.Status.POSTPONED


def test_judging_every_next_session_keeps_the_dashboard_budget(
    client_logged_in, library, user, today, django_assert_max_num_queries
):
    screening = ScreeningFactory(user=user)
    DeclaredConditionFactory(
        screening=screening, condition=Contraindication.objects.get(slug="fever"), until=None
    )
    # Four courses of one type: enough for the advice to alternate types, which adds a query.
    for _ in range(4):
        make_course(user, today)
    _, small = build_queries(
        client_logged_in, DASHBOARD, django_assert_max_num_queries, PERSONAL_BUILD
    )
    for _ in range(36):
        make_course(user, today)
    response, large = build_queries(
        client_logged_in, DASHBOARD, django_assert_max_num_queries, PERSONAL_BUILD
    )
    assert large == small
    assert response.content.decode().count("waits") == 40
