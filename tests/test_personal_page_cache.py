"""A person's own pages: cached under their data version, rebuilt after any change of theirs,
never served to anyone else, revalidated with a conditional GET."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from routines.courses import planner
from routines.models import Course, DataVersion, Routine
from routines.safety import Person
from tests.budgets import CACHED_LOGGED_IN
from tests.routine_helpers import add_step, safe_routine


def course_of(user, name="Autumn course") -> Course:
    routine = Routine.objects.get(slug="home-spinal-11-step", owner__isnull=True)
    sessions = planner.plan_course(
        routine, Person(), total_sessions=10, rhythm="daily", start_date=timezone.localdate()
    )
    return planner.create_course(user, routine, sessions, name=name, rhythm="daily")


@pytest.fixture
def routine(library, user):
    routine = safe_routine(user, name="Evening back")
    add_step(routine, "light-stroking", "whole-back")
    return routine


def personal_urls(routine, course) -> list[str]:
    return [
        reverse("routines:routine-list"),
        reverse("routines:builder", args=[routine.pk]),
        reverse("routines:routine-card", args=[routine.pk]),
        reverse("routines:dashboard"),
        course.get_absolute_url(),
        reverse("routines:course-card", args=[course.pk]),
    ]


def version_of(user) -> int:
    row = DataVersion.objects.filter(user=user).first()
    return row.number if row else 0


def test_a_cached_personal_page_costs_the_session_the_user_and_the_versions(
    client_logged_in, user, routine, django_assert_num_queries
):
    for url in personal_urls(routine, course_of(user)):
        client_logged_in.get(url)  # built, and the CSRF cookie its forms need handed out
        client_logged_in.get(url)  # built again with the cookie, and kept
        with django_assert_num_queries(CACHED_LOGGED_IN):
            response = client_logged_in.get(url)
        assert response.status_code == 200, url


def test_a_step_added_in_the_builder_shows_on_the_next_request(client_logged_in, routine):
    builder = reverse("routines:builder", args=[routine.pk])
    routines = reverse("routines:routine-list")
    for url in (builder, routines, builder, routines):
        client_logged_in.get(url)
    steps_before = client_logged_in.get(builder).content.count(b'id="step-')
    listed_before = routine.steps.count()

    response = client_logged_in.post(
        reverse("routines:step-add", args=[routine.pk]),
        {"technique": "kneading", "zone": "lumbar", "duration_s": "90", "intensity": "2"}
        | {"direction": "bottom_to_top", "side": "both", "note": ""},
    )

    assert response.status_code == 302
    assert client_logged_in.get(builder).content.count(b'id="step-') == steps_before + 1
    assert f"{listed_before + 1} steps" in client_logged_in.get(routines).content.decode()


def test_a_new_screening_answer_changes_the_builders_verdict_at_once(client_logged_in, routine):
    builder = reverse("routines:builder", args=[routine.pk])
    client_logged_in.get(builder)
    assert b"Ready to start" in client_logged_in.get(builder).content

    # Followed, as a browser does: the flash message is shown there, not on the builder.
    client_logged_in.post(reverse("routines:screening"), {"conditions": ["oncology"]}, follow=True)

    page = client_logged_in.get(builder).content.decode()
    assert "Ready to start" not in page
    assert "No massage" in page


def test_a_session_held_shows_on_the_dashboard_and_course_page(client_logged_in, user, library):
    course = course_of(user)
    pages = [reverse("routines:dashboard"), course.get_absolute_url()]
    for url in pages * 2:
        client_logged_in.get(url)
    before = [client_logged_in.get(url).content for url in pages]

    start = reverse("routines:course-session-start", args=[course.pk, 1])
    response = client_logged_in.post(start, {"check": "1", "pain_before": "2"}, follow=True)

    assert response.status_code == 200
    after = [client_logged_in.get(url).content for url in pages]
    assert after[0] != before[0] and after[1] != before[1]


def test_no_person_is_served_another_persons_page(client, library, user, other_user):
    safe_routine(user, name="Alice own evening routine")
    safe_routine(other_user, name="Bob private routine")
    course_of(user, name="Alice autumn course")
    course_of(other_user, name="Bob winter course")
    seen = {}
    for person in (user, other_user):
        client.force_login(person)
        for url in (reverse("routines:routine-list"), reverse("routines:dashboard")):
            client.get(url)
            seen[person.username, url] = client.get(url).content.decode()

    alice = "".join(page for (name, _), page in seen.items() if name == "alice")
    bob = "".join(page for (name, _), page in seen.items() if name == "bob")
    assert "Alice own evening routine" in alice and "Alice autumn course" in alice
    assert "Bob" not in alice
    assert "Bob private routine" in bob and "Bob winter course" in bob
    assert "Alice" not in bob


def test_a_personal_page_answers_304_until_the_person_changes_something(client_logged_in, routine):
    builder = reverse("routines:builder", args=[routine.pk])
    client_logged_in.get(builder)
    first = client_logged_in.get(builder)

    assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    assert client_logged_in.get(builder, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    client_logged_in.post(
        reverse("routines:routine-rename", args=[routine.pk]), {"name": "Sunday back"}, follow=True
    )

    again = client_logged_in.get(builder, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert b"Sunday back" in again.content


def test_a_refused_write_leaves_the_version_and_the_cached_page_alone(
    client_logged_in, user, routine
):
    client_logged_in.post(
        reverse("routines:routine-rename", args=[routine.pk]), {"name": "Sunday back"}
    )
    before = version_of(user)

    response = client_logged_in.post(
        reverse("routines:routine-rename", args=[routine.pk]), {"name": ""}
    )

    assert response.status_code == 422
    assert version_of(user) == before


def test_an_admin_deleting_a_persons_course_shows_on_their_next_request(
    admin_client, client_logged_in, user, library
):
    course = course_of(user, name="Course to be removed")
    dashboard = reverse("routines:dashboard")
    client_logged_in.get(dashboard)
    assert b"Course to be removed" in client_logged_in.get(dashboard).content

    response = admin_client.post(
        reverse("admin:routines_course_delete", args=[course.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert b"Course to be removed" not in client_logged_in.get(dashboard).content


def test_the_next_day_is_a_new_page(client_logged_in, user, library):
    dashboard = reverse("routines:dashboard")
    course_of(user)
    client_logged_in.get(dashboard)
    today = client_logged_in.get(dashboard)

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with mock.patch("django.utils.timezone.localdate", return_value=tomorrow):
        next_day = client_logged_in.get(dashboard, HTTP_IF_NONE_MATCH=today["ETag"])

    assert next_day.status_code == 200
    assert next_day["ETag"] != today["ETag"]
