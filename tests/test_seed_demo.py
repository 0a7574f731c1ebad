"""seed_demo: demo people with a believable history, created once, in bulk."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from routines import demo
from routines.courses.planner import plan_course
from routines.models import (
    Course,
    CourseSession,
    DeclaredCondition,
    Routine,
    RoutineStep,
    RunEvent,
    Screening,
    SessionRun,
)
from routines.safety import Person

TODAY = dt.date(2025, 3, 10)
NOW = dt.datetime(2025, 3, 10, 9, 30, tzinfo=dt.UTC)


def seed(people: int, **kwargs):
    return demo.seed(people, today=TODAY, now=NOW, **kwargs)


def counts() -> dict[str, int]:
    models = [Screening, DeclaredCondition, Routine, RoutineStep, Course, CourseSession]
    models += [SessionRun, RunEvent, get_user_model()]
    return {m.__name__: m.objects.count() for m in models}


@pytest.fixture
def four(library):
    return seed(4)


def test_it_gives_each_person_a_screening_two_routines_and_three_courses_of_15(four):
    people = get_user_model().objects.filter(username__startswith="demo")

    assert sorted(p.username for p in people) == ["demo0001", "demo0002", "demo0003", "demo0004"]
    for person in people:
        assert Screening.objects.filter(user=person).count() == 1
        assert Routine.objects.owned_by(person).count() == 2
        courses = Course.objects.owned_by(person)
        assert courses.count() == 3
        assert [c.sessions.count() for c in courses] == [15, 15, 15]


def test_two_courses_are_behind_them_and_one_is_under_way(four):
    for person in get_user_model().objects.filter(username__startswith="demo"):
        courses = list(Course.objects.owned_by(person).order_by("start_date"))
        assert courses[0].status == Course.Status.FINISHED
        assert courses[1].status in {Course.Status.FINISHED, Course.Status.STOPPED}
        assert courses[2].status == Course.Status.ACTIVE
        held = courses[2].sessions.held()
        assert 0 < held.count() < 15
        assert all(s.planned_date < TODAY for s in held)


def test_every_held_session_has_the_run_that_held_it_and_its_events(four):
    held = CourseSession.objects.held()

    assert SessionRun.objects.count() == held.count() > 0
    for session in held.select_related("run"):
        run = session.run
        kinds = [e.kind for e in run.events.all()]
        assert kinds[0] == RunEvent.Kind.START
        assert kinds[-1] in {RunEvent.Kind.FINISH, RunEvent.Kind.STOP}
        assert session.minutes_done == round(run.worked_seconds() / 60)
        assert session.completed_at == run.ended_at
        assert (session.pain_before, session.pain_after) == (run.pain_before, run.pain_after)
        assert session.plan == run.plan


def test_a_session_stopped_for_pain_ends_its_run_with_a_stop(library):
    seed(10)
    stopped = CourseSession.objects.filter(status=CourseSession.Status.STOPPED)

    assert stopped.exists()
    for session in stopped.select_related("run"):
        assert session.run.stop_reason == SessionRun.StopReason.PAIN
        assert session.run.events.last().kind == RunEvent.Kind.STOP


def test_running_it_again_creates_nothing(four):
    before = counts()

    again = seed(4)

    assert (again.created, again.existing) == (0, 4)
    assert counts() == before


def test_a_larger_count_adds_only_the_missing_people(four):
    before = counts()

    more = seed(6)

    assert (more.created, more.existing) == (2, 4)
    after = counts()
    assert after["User"] == before["User"] + 2
    assert after["Course"] == before["Course"] + 6
    assert after["CourseSession"] == before["CourseSession"] + 90


def test_the_screenings_mix_nothing_high_blood_pressure_and_temporary_conditions(library):
    seed(20)
    declared = DeclaredCondition.objects.select_related("condition", "screening")
    hypertension = [d for d in declared if d.condition.slug == "hypertension"]
    temporary = [d for d in declared if d.condition.kind == "temporary"]

    assert Screening.objects.filter(declared__isnull=True).count() == 14
    assert len(hypertension) == 4
    assert all(d.screening.usual_systolic for d in hypertension)
    assert len(temporary) == 2
    assert {d.until > TODAY for d in temporary} == {True, False}  # one going on, one over


def test_a_temporary_condition_going_on_has_moved_the_current_course(library):
    seed(5)
    course = Course.objects.get(owner__username="demo0005", status=Course.Status.ACTIVE)
    until = DeclaredCondition.objects.get(screening__user__username="demo0005").until

    following = course.sessions.pending().order_by("index").first()

    assert following.status == CourseSession.Status.POSTPONED
    assert following.planned_date == until + dt.timedelta(days=1)


def test_the_routines_are_what_copy_for_makes(four, user):
    copy = Routine.objects.owned_by(get_user_model().objects.get(username="demo0001")).first()

    made = copy.based_on.copy_for(user)

    def shape(routine):
        steps = routine.steps.order_by("position").values_list(
            "position", "technique", "zone", "duration_s", "reps", "intensity", "direction",
            "side", "note",
        )  # fmt: skip
        sources = set(routine.sources.values_list("pk", flat=True))
        fields = (routine.name, routine.description, routine.massage_type_id, routine.based_on_id)
        return fields, list(steps), sources

    assert shape(copy) == shape(made)


@pytest.mark.parametrize("username", ["demo0001", "demo0003"])  # nothing; high blood pressure
def test_the_courses_are_what_the_planner_plans_for_that_person(four, username):
    person = get_user_model().objects.get(username=username)
    for course in Course.objects.owned_by(person).select_related("routine"):
        planned = plan_course(
            course.routine,
            Person.of(person, course.start_date),
            total_sessions=15,
            rhythm=course.rhythm,
            start_date=course.start_date,
        )
        sessions = list(course.sessions.order_by("index"))
        got = [
            (s.planned_date, s.target_minutes, s.max_intensity, s.plan, s.removed) for s in sessions
        ]
        want = [
            (p.planned_date, p.target_minutes, p.max_intensity, p.plan, p.removed) for p in planned
        ]
        assert got == want


def test_a_seeded_person_logs_in_with_the_demo_password(client, four):
    response = client.post(
        reverse("login"), {"username": "demo0001", "password": demo.DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("routines:dashboard")


def test_a_new_password_reaches_the_people_already_there(client, four):
    seed(4, password="another-demo-password")

    response = client.post(
        reverse("login"), {"username": "demo0002", "password": "another-demo-password"}
    )

    assert response.status_code == 302


def test_a_seeded_persons_dashboard_and_course_pages_answer_200(client, four):
    person = get_user_model().objects.get(username="demo0001")
    client.force_login(person)

    assert client.get(reverse("routines:dashboard")).status_code == 200
    for course in Course.objects.owned_by(person):
        assert client.get(course.get_absolute_url()).status_code == 200
    run = SessionRun.objects.owned_by(person).first()
    assert client.get(reverse("routines:session-summary", args=[run.pk])).status_code == 200


def test_it_leaves_other_people_alone(four, user):
    seed(4, password="another-demo-password")

    user.refresh_from_db()
    assert user.check_password("correct horse battery")


def test_the_command_says_what_it_did(library):
    out = StringIO()

    call_command("seed_demo", people=2, stdout=out)
    call_command("seed_demo", people=2, stdout=out)

    assert "2 demo people created, 0 already there" in out.getvalue()
    assert "0 demo people created, 2 already there" in out.getvalue()
