"""The course pages through HTTP: planning, the dashboard, the course page, starting, moving."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from routines.courses import planner
from routines.models import (
    ConditionRule,
    Contraindication,
    Course,
    CourseSession,
    Routine,
    SessionRun,
)
from routines.safety import Person
from tests.budgets import PERSONAL_BUILD, build_queries
from tests.factories import DeclaredConditionFactory, RoutineFactory, ScreeningFactory

# The courses, routines and runs, plus the screening, its conditions and their rules, which
# judge each next session, and the ready-made routines offered after a long run of one massage
# type (a fixed number, however many courses).


def _ready_made(slug="home-spinal-11-step") -> Routine:
    return Routine.objects.get(slug=slug)


def _form(routine, **overrides) -> dict:
    data = {
        "routine": routine.pk,
        "name": "Autumn course",
        "total_sessions": 12,
        "rhythm": "every_other_day",
        "start_date": timezone.localdate().isoformat(),
    }
    return {**data, **overrides}


def _course(user, total=12, start=None, slug="home-spinal-11-step") -> Course:
    routine = _ready_made(slug)
    sessions = planner.plan_course(
        routine,
        Person(),
        total_sessions=total,
        rhythm="every_other_day",
        start_date=start or timezone.localdate(),
    )
    return planner.create_course(user, routine, sessions, name="Autumn course", rhythm="daily")


def _declare(user, slug, until=None):
    screening = ScreeningFactory(user=user)
    condition = Contraindication.objects.get(slug=slug)
    DeclaredConditionFactory(screening=screening, condition=condition, until=until)
    return screening


def _hold(course, *indexes):
    now = timezone.now()
    CourseSession.objects.filter(course=course, index__in=indexes).update(
        status=CourseSession.Status.DONE,
        minutes_done=12,
        pain_before=3,
        pain_after=2,
        completed_at=now,
    )


def _new_url(routine) -> str:
    return f"{reverse('routines:course-new')}?routine={routine.pk}"


# --- Planning a course ------------------------------------------------------------------------


def test_it_requires_login_to_plan(client, library):
    response = client.get(_new_url(_ready_made()))

    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_it_shows_the_plan_form_for_a_ready_made_routine(client_logged_in, library):
    response = client_logged_in.get(_new_url(_ready_made()))

    assert response.status_code == 200
    assert b'name="total_sessions"' in response.content
    assert b"ready-made routine" in response.content


def test_it_rejects_a_garbage_routine_id(client_logged_in, library):
    response = client_logged_in.get(reverse("routines:course-new") + "?routine=abc")

    assert response.status_code == 400


def test_it_hides_another_users_routine(client_logged_in, library, other_user):
    theirs = RoutineFactory(owner=other_user)

    assert client_logged_in.get(_new_url(theirs)).status_code == 404


def test_it_previews_every_session(client_logged_in, library):
    response = client_logged_in.get(reverse("routines:course-new"), _form(_ready_made()))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Session 12 ·" in html
    assert "Create this course" in html
    assert "Left out:" in html


def test_it_previews_only_the_partial_for_htmx(client_logged_in, library):
    response = client_logged_in.get(
        reverse("routines:course-new"), _form(_ready_made()), headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="preview"')
    assert "<h1>" not in html


@pytest.mark.parametrize("total", ["9", "16", "many"])
def test_it_refuses_a_session_count_outside_10_to_15(client_logged_in, library, total):
    response = client_logged_in.get(
        reverse("routines:course-new"), _form(_ready_made(), total_sessions=total)
    )

    assert response.status_code == 422
    assert b"Create this course" not in response.content


def test_a_start_400_days_ahead_shows_its_error_in_the_htmx_preview(client_logged_in, library):
    far = timezone.localdate() + dt.timedelta(days=400)

    response = client_logged_in.get(
        reverse("routines:course-new"),
        _form(_ready_made(), start_date=far.isoformat()),
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert html.lstrip().startswith('<section id="preview"')
    assert "within the next twelve months" in html


def test_it_refuses_a_start_date_in_the_past(client_logged_in, library):
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    response = client_logged_in.post(
        reverse("routines:course-new"), _form(_ready_made(), start_date=yesterday.isoformat())
    )

    assert response.status_code == 422
    assert not Course.objects.exists()


def test_it_creates_the_course_and_its_sessions(client_logged_in, library, user):
    response = client_logged_in.post(
        reverse("routines:course-new"), _form(_ready_made(), total_sessions=14)
    )

    course = Course.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("routines:course-detail", args=[course.pk])
    assert course.owner == user
    assert course.sessions.count() == 14


def test_it_plans_from_a_copy_of_a_ready_made_routine(client_logged_in, library, user):
    client_logged_in.post(reverse("routines:course-new"), _form(_ready_made()))

    course = Course.objects.get()
    assert course.routine.owner == user
    assert course.routine.based_on == _ready_made()


def test_it_plans_from_the_persons_own_routine_without_copying(client_logged_in, library, user):
    own = _ready_made().copy_for(user)

    client_logged_in.post(reverse("routines:course-new"), _form(own))

    assert Course.objects.get().routine == own
    assert Routine.objects.filter(owner=user).count() == 1


def test_it_explains_why_a_blocked_routine_cannot_become_a_course(client_logged_in, library, user):
    _declare(user, "oncology")

    response = client_logged_in.get(reverse("routines:course-new"), _form(_ready_made()))

    assert b"cannot become a course" in response.content
    assert b"Create this course" not in response.content


def test_it_refuses_to_create_a_blocked_course(client_logged_in, library, user):
    _declare(user, "oncology")

    response = client_logged_in.post(reverse("routines:course-new"), _form(_ready_made()))

    assert response.status_code == 409
    assert not Course.objects.exists()


def test_it_warns_before_a_fifth_course_within_a_year(client_logged_in, library, user):
    for _ in range(4):
        _course(user)

    response = client_logged_in.get(reverse("routines:course-new"), _form(_ready_made()))

    assert b"A fifth course within a year" in response.content


def test_it_does_not_warn_for_a_second_course(client_logged_in, library, user):
    _course(user)

    response = client_logged_in.get(reverse("routines:course-new"), _form(_ready_made()))

    assert b"A fifth course within a year" not in response.content


# --- Dashboard --------------------------------------------------------------------------------


def test_the_dashboard_shows_sessions_done_of_the_total(client_logged_in, library, user):
    course = _course(user)
    _hold(course, 1, 2, 3)

    response = client_logged_in.get(reverse("routines:dashboard"))

    assert response.status_code == 200
    assert b"<strong>3 of 12</strong>" in response.content


def test_the_dashboard_offers_to_start_the_next_session(client_logged_in, library, user):
    course = _course(user)
    _hold(course, 1)

    html = client_logged_in.get(reverse("routines:dashboard")).content.decode()

    assert reverse("routines:course-session-start", args=[course.pk, 2]) in html
    assert "Start session 2" in html


def test_the_dashboard_counts_missed_sessions(client_logged_in, library, user):
    _course(user, start=timezone.localdate() - dt.timedelta(days=5))

    html = client_logged_in.get(reverse("routines:dashboard")).content.decode()

    assert "3 sessions missed" in html


def test_the_dashboard_shows_why_the_next_session_is_held_back(client_logged_in, library, user):
    course = _course(user)
    course.sessions.filter(index=1).update(held_back_reason="Pain rose from 2 to 4")

    assert b"Pain rose from 2 to 4" in client_logged_in.get(reverse("routines:dashboard")).content


def test_the_dashboard_leaves_out_other_peoples_courses(client_logged_in, library, other_user):
    _course(other_user)

    html = client_logged_in.get(reverse("routines:dashboard")).content.decode()

    assert "Autumn course" not in html


def test_the_dashboard_offers_a_course_from_a_ready_made_routine(client_logged_in, library):
    html = client_logged_in.get(reverse("routines:dashboard")).content.decode()

    assert _new_url(_ready_made()) in html


def test_the_dashboard_query_count_does_not_grow(
    client_logged_in, library, user, django_assert_max_num_queries
):
    # Four courses of one type: enough for the advice to alternate types, which adds a query.
    for _ in range(4):
        _hold(_course(user), 1, 2)
    url, budget = reverse("routines:dashboard"), PERSONAL_BUILD
    _, small = build_queries(client_logged_in, url, django_assert_max_num_queries, budget)
    for _ in range(36):
        _hold(_course(user), 1, 2)
    response, large = build_queries(client_logged_in, url, django_assert_max_num_queries, budget)
    assert large == small
    assert response.content.count(b"Start session") == 40


# --- Course page ------------------------------------------------------------------------------


def test_another_user_gets_404_for_a_course(client_logged_in, library, other_user):
    course = _course(other_user)

    for name in ["course-detail", "course-card", "course-schedule"]:
        assert (
            client_logged_in.get(reverse(f"routines:{name}", args=[course.pk])).status_code == 404
        )


def test_the_course_page_lists_every_session(client_logged_in, library, user):
    course = _course(user, total=13)

    html = client_logged_in.get(course.get_absolute_url()).content.decode()

    assert all(f'id="session-{i}"' in html for i in range(1, 14))


def test_the_course_page_draws_an_accessible_chart(client_logged_in, library, user):
    course = _course(user)
    _hold(course, 1)

    html = client_logged_in.get(course.get_absolute_url()).content.decode()

    assert 'role="img"' in html
    assert 'aria-labelledby="chart-title chart-desc"' in html
    assert '<title id="chart-title">' in html
    assert html.index("<svg") < html.index('<table class="course-table"')
    assert 'class="series series-minutes_done"' in html


def test_the_course_page_query_count_does_not_grow(
    client_logged_in, library, user, django_assert_max_num_queries
):
    # The engine's rule book is read once per library version, in a fixed number of queries.
    small = _course(user, total=10)
    _hold(small, 1)
    budget = PERSONAL_BUILD
    _, few = build_queries(
        client_logged_in, small.get_absolute_url(), django_assert_max_num_queries, budget
    )
    big = _course(user, total=15)
    _hold(big, *range(1, 11))
    response, many = build_queries(
        client_logged_in, big.get_absolute_url(), django_assert_max_num_queries, budget
    )
    assert many == few
    assert response.content.count(b"status-done") == 10


def test_the_course_page_offers_postponement_for_a_temporary_condition(
    client_logged_in, library, user
):
    course = _course(user)
    _declare(user, "fever", until=timezone.localdate() + dt.timedelta(days=3))

    html = client_logged_in.get(course.get_absolute_url()).content.decode()

    assert "Postpone the course" in html
    assert reverse("routines:course-postpone", args=[course.pk]) in html


def test_the_course_page_offers_to_stop_for_an_absolute_condition(client_logged_in, library, user):
    course = _course(user)
    _declare(user, "oncology")

    html = client_logged_in.get(course.get_absolute_url()).content.decode()

    assert "Stop this course" in html


def test_a_finished_course_suggests_the_next_one(client_logged_in, library, user):
    course = _course(user, total=10)
    _hold(course, *range(1, 11))
    course.finish_if_complete()

    html = client_logged_in.get(course.get_absolute_url()).content.decode()

    assert "Course finished" in html
    assert "a next course could start around" in html


# --- Starting a course session: the same-day check first ------------------------------------


def _start_url(course, index=1) -> str:
    return reverse("routines:course-session-start", args=[course.pk, index])


def _check(client, course, index=1, **answers):
    """Submit the day check of a course session, as its "Start the session" button does."""
    return client.post(_start_url(course, index), {"check": "1", **answers})


def _rule_message(code: str) -> str:
    return ConditionRule.objects.get(code=code).message


def test_the_start_button_shows_the_day_check_without_starting(client_logged_in, library, user):
    course = _course(user)

    response = client_logged_in.post(_start_url(course))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Before you start: Autumn course — session 1 of 12" in html
    assert 'name="fever"' in html
    assert f'action="{_start_url(course)}"' in html
    assert not SessionRun.objects.exists()


def test_it_shows_the_day_check_on_get(client_logged_in, library, user):
    course = _course(user)

    response = client_logged_in.get(_start_url(course))

    assert response.status_code == 200
    assert b'name="fresh_injury"' in response.content
    assert not SessionRun.objects.exists()


def test_the_day_check_does_not_ask_for_blood_pressure_without_hypertension(
    client_logged_in, library, user
):
    course = _course(user)

    response = client_logged_in.post(_start_url(course))

    assert b'name="systolic"' not in response.content


def test_the_day_check_says_steps_ruled_out_since_planning_are_planned_again(
    client_logged_in, library, user
):
    course = _course(user)
    _declare(user, "hypertension")

    html = client_logged_in.post(_start_url(course)).content.decode()

    assert "the session is planned again" in html
    assert "stop it" not in html


def test_the_day_check_points_to_the_course_page_when_a_condition_stops_it(
    client_logged_in, library, user
):
    course = _course(user)
    _declare(user, "oncology")

    html = client_logged_in.post(_start_url(course)).content.decode()

    assert "move this course to later days, or stop it" in html


def test_starting_a_session_opens_the_session_page(client_logged_in, library, user):
    course = _course(user)

    response = _check(client_logged_in, course, pain_before="3")

    run = SessionRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("routines:session-run", args=[run.pk])
    assert run.course_session == course.sessions.get(index=1)
    assert run.plan == course.sessions.get(index=1).plan
    assert run.pain_before == 3


def test_the_run_keeps_the_day_check(client_logged_in, library, user):
    course = _course(user)

    _check(client_logged_in, course)

    run = SessionRun.objects.get()
    assert run.day_check["date"] == timezone.localdate().isoformat()
    assert run.day_check["today_conditions"] == []


def test_starting_with_a_client_redirect_for_htmx(client_logged_in, library, user):
    course = _course(user)

    response = client_logged_in.post(
        _start_url(course), {"check": "1"}, headers={"HX-Request": "true"}
    )

    run = SessionRun.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("routines:session-run", args=[run.pk])


def test_starting_twice_returns_to_the_same_running_session(client_logged_in, library, user):
    course = _course(user)

    _check(client_logged_in, course)
    response = _check(client_logged_in, course)

    assert SessionRun.objects.count() == 1
    assert response.url == reverse("routines:session-run", args=[SessionRun.objects.get().pk])


def test_another_user_cannot_start_a_course_session(client_logged_in, library, other_user):
    course = _course(other_user)

    response = _check(client_logged_in, course)

    assert response.status_code == 404
    assert not SessionRun.objects.exists()


def test_another_user_cannot_see_a_course_sessions_day_check(client_logged_in, library, other_user):
    course = _course(other_user)

    response = client_logged_in.post(_start_url(course))

    assert response.status_code == 404


def test_starting_an_unknown_session_is_404(client_logged_in, library, user):
    course = _course(user, total=10)

    response = _check(client_logged_in, course, index=11)

    assert response.status_code == 404


def test_starting_with_a_tampered_pain_value_is_refused(client_logged_in, library, user):
    course = _course(user)

    response = _check(client_logged_in, course, pain_before="99")

    assert response.status_code == 422
    assert b'name="pain_before"' in response.content
    assert not SessionRun.objects.exists()


def test_starting_a_done_session_is_a_conflict(client_logged_in, library, user):
    course = _course(user)
    _hold(course, 1)

    response = _check(client_logged_in, course)

    assert response.status_code == 409


def test_fever_ticked_today_postpones_the_session(client_logged_in, library, user):
    course = _course(user)
    today = timezone.localdate()

    response = _check(client_logged_in, course, fever="on")

    assert response.status_code == 302
    assert response.url == course.get_absolute_url()
    assert not SessionRun.objects.exists()
    first, second = course.sessions.get(index=1), course.sessions.get(index=2)
    assert first.planned_date == today + dt.timedelta(days=course.interval_days)
    assert first.status == CourseSession.Status.POSTPONED
    assert second.planned_date == today + dt.timedelta(days=2 + course.interval_days)


def test_the_fever_postponement_cites_the_fever_rule(client_logged_in, library, user):
    course = _course(user)

    response = client_logged_in.post(_start_url(course), {"check": "1", "fever": "on"}, follow=True)

    assert _rule_message("fever-postpone") in response.content.decode()
    assert _rule_message("fever-postpone") in course.sessions.get(index=1).held_back_reason


@pytest.mark.parametrize("answer", ["fresh_injury", "pain_on_movement"])
def test_an_injury_or_pain_today_postpones_the_session(client_logged_in, library, user, answer):
    course = _course(user)

    _check(client_logged_in, course, **{answer: "on"})

    assert not SessionRun.objects.exists()
    assert course.sessions.get(index=1).status == CourseSession.Status.POSTPONED


def test_hypertension_asks_for_todays_blood_pressure(client_logged_in, library, user):
    course = _course(user)
    _declare(user, "hypertension")

    response = client_logged_in.post(_start_url(course))

    assert b'name="systolic"' in response.content


def test_a_reading_above_160_postpones_the_session(client_logged_in, library, user):
    course = _course(user)
    _declare(user, "hypertension")

    response = client_logged_in.post(
        _start_url(course), {"check": "1", "systolic": "170"}, follow=True
    )

    assert not SessionRun.objects.exists()
    first = course.sessions.get(index=1)
    assert first.status == CourseSession.Status.POSTPONED
    assert first.planned_date > timezone.localdate()
    assert _rule_message("hypertension-bp-over-160") in response.content.decode()


def test_a_reading_of_150_starts_the_session(client_logged_in, library, user):
    course = _course(user)
    _declare(user, "hypertension")

    response = _check(client_logged_in, course, systolic="150")

    run = SessionRun.objects.get()
    assert response.url == reverse("routines:session-run", args=[run.pk])
    assert run.day_check["systolic"] == 150
    assert course.sessions.get(index=1).planned_date == timezone.localdate()


def test_todays_reading_wins_over_the_usual_one(client_logged_in, library, user):
    course = _course(user)
    screening = _declare(user, "hypertension")
    screening.usual_systolic = 150
    screening.save(update_fields=["usual_systolic"])

    _check(client_logged_in, course, systolic="175")

    assert not SessionRun.objects.exists()
    assert course.sessions.get(index=1).status == CourseSession.Status.POSTPONED


@pytest.mark.parametrize("systolic", ["abc", "999", "-5", "150.5"])
def test_a_garbage_blood_pressure_is_refused(client_logged_in, library, user, systolic):
    course = _course(user)
    _declare(user, "hypertension")

    response = _check(client_logged_in, course, systolic=systolic)

    assert response.status_code == 422
    assert b"errorlist" in response.content
    assert not SessionRun.objects.exists()
    assert course.sessions.get(index=1).status == CourseSession.Status.PLANNED


def test_a_temporary_condition_postpones_instead_of_starting(client_logged_in, library, user):
    course = _course(user)
    today = timezone.localdate()
    _declare(user, "fever", until=today + dt.timedelta(days=2))

    response = _check(client_logged_in, course)

    assert response.status_code == 302
    assert not SessionRun.objects.exists()
    first = course.sessions.get(index=1)
    assert first.planned_date == today + dt.timedelta(days=3)
    assert first.status == CourseSession.Status.POSTPONED


def test_an_absolute_condition_refuses_the_start(client_logged_in, library, user):
    course = _course(user)
    _declare(user, "oncology")

    response = _check(client_logged_in, course)

    assert response.status_code == 409
    assert not SessionRun.objects.exists()


def test_a_condition_declared_after_planning_replans_the_session(client_logged_in, library, user):
    course = _course(user)
    _declare(user, "hypertension")
    CourseSession.objects.filter(course=course, index__lt=5).update(status="done")

    _check(client_logged_in, course, index=5, systolic="140")

    run = SessionRun.objects.get()
    assert not {s["category"] for s in run.plan} & {"percussion", "vibration"}


def test_a_duplicate_finish_request_counts_the_session_once(client_logged_in, library, user):
    course = _course(user)
    _check(client_logged_in, course)
    run = SessionRun.objects.get()
    last = len(run.plan) - 1
    SessionRun.objects.filter(pk=run.pk).update(current_index=last)
    url = reverse("routines:session-step", args=[run.pk])

    client_logged_in.post(url, {"action": "skip", "from_index": last})
    session = course.sessions.get(index=1)
    first_completed = session.completed_at
    client_logged_in.post(url, {"action": "skip", "from_index": last})

    session.refresh_from_db()
    assert session.status == CourseSession.Status.DONE
    assert session.completed_at == first_completed
    assert course.sessions.held().count() == 1


# --- Moving and stopping ----------------------------------------------------------------------


def test_postponing_a_course_moves_the_remaining_sessions(client_logged_in, library, user):
    course = _course(user)
    until = timezone.localdate() + dt.timedelta(days=4)

    response = client_logged_in.post(
        reverse("routines:course-postpone", args=[course.pk]),
        {"until": until.isoformat(), "reason": "Cold"},
    )

    assert response.status_code == 302
    assert course.sessions.get(index=1).planned_date == until
    assert course.sessions.get(index=2).planned_date == until + dt.timedelta(days=2)


def test_moving_one_session_moves_it_and_the_ones_after(client_logged_in, library, user):
    course = _course(user)
    third = course.sessions.get(index=3)
    until = third.planned_date + dt.timedelta(days=1)

    client_logged_in.post(
        reverse("routines:course-session-postpone", args=[course.pk, 3]), {"until": until}
    )

    assert course.sessions.get(index=2).planned_date == third.planned_date - dt.timedelta(days=2)
    assert course.sessions.get(index=3).planned_date == until
    assert course.sessions.get(index=4).planned_date == until + dt.timedelta(days=2)


@pytest.mark.parametrize("until", ["not-a-date", "2001-01-01", ""])
def test_moving_to_a_bad_date_is_refused(client_logged_in, library, user, until):
    course = _course(user)
    before = list(course.sessions.values_list("planned_date", flat=True))

    response = client_logged_in.post(
        reverse("routines:course-session-postpone", args=[course.pk, 1]), {"until": until}
    )

    assert response.status_code == 422
    assert list(course.sessions.values_list("planned_date", flat=True)) == before


def test_another_user_cannot_move_a_session(client_logged_in, library, other_user):
    course = _course(other_user)
    until = (timezone.localdate() + dt.timedelta(days=4)).isoformat()

    response = client_logged_in.post(
        reverse("routines:course-session-postpone", args=[course.pk, 1]), {"until": until}
    )

    assert response.status_code == 404


def test_stopping_a_course_keeps_the_reason(client_logged_in, library, user):
    course = _course(user)

    client_logged_in.post(
        reverse("routines:course-stop", args=[course.pk]), {"reason": "Doctor said no"}
    )

    course.refresh_from_db()
    assert course.status == Course.Status.STOPPED
    assert course.stop_reason == "Doctor said no"


def test_stopping_a_stopped_course_is_a_conflict(client_logged_in, library, user):
    course = _course(user)
    course.stop("Once")

    response = client_logged_in.post(
        reverse("routines:course-stop", args=[course.pk]), {"reason": "Twice"}
    )

    assert response.status_code == 409


def test_another_user_cannot_stop_a_course(client_logged_in, library, other_user):
    course = _course(other_user)

    response = client_logged_in.post(
        reverse("routines:course-stop", args=[course.pk]), {"reason": "Mine now"}
    )

    assert response.status_code == 404
    course.refresh_from_db()
    assert course.status == Course.Status.ACTIVE


# --- Calendar and cards -----------------------------------------------------------------------


def test_the_schedule_is_an_icalendar_file(client_logged_in, library, user):
    course = _course(user)

    response = client_logged_in.get(reverse("routines:course-schedule", args=[course.pk]))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="autumn-course-schedule.ics"'


def test_the_schedule_has_one_all_day_event_per_session_to_do(client_logged_in, library, user):

    course = _course(user)
    _hold(course, 1, 2)

    response = client_logged_in.get(reverse("routines:course-schedule", args=[course.pk]))

    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 10
    assert str(events[0]["SUMMARY"]) == "Back massage — session 3 of 12"
    assert events[0].decoded("DTSTART") == course.sessions.get(index=3).planned_date
    assert "minutes" in str(events[0]["DESCRIPTION"])


def test_the_course_card_lists_every_session(client_logged_in, library, user):
    course = _course(user)

    response = client_logged_in.get(reverse("routines:course-card", args=[course.pk]))

    assert response.status_code == 200
    assert response.content.count(b'<th scope="row">') == 12


def test_the_routine_card_shows_the_steps(client_logged_in, library, user):
    own = _ready_made().copy_for(user)

    response = client_logged_in.get(reverse("routines:routine-card", args=[own.pk]))

    assert response.status_code == 200
    assert b"Light stroking" in response.content


def test_another_user_gets_404_for_a_routine_card(client_logged_in, library, other_user):
    theirs = _ready_made().copy_for(other_user)

    response = client_logged_in.get(reverse("routines:routine-card", args=[theirs.pk]))

    assert response.status_code == 404


def test_pain_rising_in_the_summary_check_in_holds_the_next_session_back(
    client_logged_in, library, user
):
    course = _course(user)
    _check(client_logged_in, course, pain_before=2)
    run = SessionRun.objects.get()
    SessionRun.objects.filter(pk=run.pk).update(pain_before=2, current_index=len(run.plan) - 1)
    client_logged_in.post(
        reverse("routines:session-step", args=[run.pk]),
        {"action": "skip", "from_index": len(run.plan) - 1},
    )

    response = client_logged_in.post(
        reverse("routines:session-summary", args=[run.pk]), {"pain_after": 6, "note": "sore"}
    )

    assert response.status_code == 302
    done = course.sessions.get(index=1)
    assert (done.pain_before, done.pain_after, done.note) == (2, 6, "sore")
    assert course.sessions.get(index=2).held_back_reason


def test_the_course_page_names_the_next_sessions_intensity_cap(client_logged_in, library, user):
    course = _course(user)
    html = client_logged_in.get(reverse("routines:course-detail", args=[course.pk])).content
    assert "at most gentle" in html.decode()
