"""The account page: the e-mail address, all of one's data as a file, and deleting the account."""

import datetime as dt
import json

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

from routines.models import (
    BodyZone,
    Contraindication,
    Course,
    CourseSession,
    DeclaredCondition,
    Routine,
    RoutineStep,
    RunEvent,
    Screening,
    SessionRun,
    Technique,
)
from tests.factories import (
    CourseFactory,
    CourseSessionFactory,
    RoutineFactory,
    RoutineStepFactory,
    RunEventFactory,
    SessionRunFactory,
)

PASSWORD = "correct horse battery"
OWNED = {
    Screening: "user",
    DeclaredCondition: "screening__user",
    Routine: "owner",
    RoutineStep: "routine__owner",
    SessionRun: "owner",
    RunEvent: "run__owner",
    Course: "owner",
    CourseSession: "course__owner",
}


def fill(user, times: int = 1) -> None:
    """A person's life on the site: a screening, and `times` routines, sessions and courses."""
    screening = Screening.objects.create(user=user, usual_systolic=135)
    DeclaredCondition.objects.create(
        screening=screening,
        condition=Contraindication.objects.get(slug="fever"),
        until=dt.date(2030, 1, 2),
    )
    DeclaredCondition.objects.create(
        screening=screening, condition=Contraindication.objects.get(slug="hernia")
    )
    technique = Technique.objects.get(slug="light-stroking")
    zone = BodyZone.objects.get(slug="whole-back")
    for n in range(times):
        routine = RoutineFactory(owner=user, name=f"Evening back {n}")
        RoutineStepFactory.create_batch(
            3, routine=routine, technique=technique, zone=zone, note="slowly"
        )
        run = SessionRunFactory(
            owner=user,
            routine=routine,
            pain_before=3,
            pain_after=1,
            systolic_before=142,
            systolic_after=131,
            note="much easier afterwards",
            day_check={"fever": False, "systolic": 142},
        )
        RunEventFactory.create_batch(3, run=run)
        course = CourseFactory(owner=user, routine=routine, name=f"Spring {n}")
        CourseSessionFactory(
            course=course,
            index=1,
            pain_before=4,
            pain_after=2,
            systolic_before=150,
            systolic_after=138,
            note="tired legs",
        )
        CourseSessionFactory(course=course, index=2)


def rows_of(user) -> dict:
    """The primary keys of every row the person owns, model by model."""
    return {
        model: set(model.objects.filter(**{path: user}).values_list("pk", flat=True))
        for model, path in OWNED.items()
    }


def download(client) -> dict:
    response = client.get(reverse("routines:account-data"))
    assert response.status_code == 200
    return json.loads(response.content)


# --- The page -----------------------------------------------------------------------------------


def test_it_shows_the_account_page(client_logged_in):
    response = client_logged_in.get(reverse("routines:account"))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{reverse("routines:account-data")}"' in html
    assert f'href="{reverse("routines:account-delete")}"' in html
    assert 'value="alice@example.org"' in html


def test_the_navigation_links_to_the_account_page(client_logged_in, library):
    html = client_logged_in.get(reverse("routines:routine-list")).content.decode()

    assert f'href="{reverse("routines:account")}"' in html


@pytest.mark.parametrize(
    "name", ["routines:account", "routines:account-data", "routines:account-delete"]
)
def test_it_sends_a_visitor_to_log_in(client, db, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_saves_a_new_email_address(client_logged_in, user):
    response = client_logged_in.post(reverse("routines:account"), {"email": "a@example.net"})

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.email == "a@example.net"


def test_it_removes_the_email_address_when_left_empty(client_logged_in, user):
    client_logged_in.post(reverse("routines:account"), {"email": ""})

    user.refresh_from_db()
    assert user.email == ""


@pytest.mark.parametrize("data", [{"email": "not an address"}, {"email": "a" * 300 + "@x.org"}])
def test_it_refuses_a_bad_email_address(client_logged_in, user, data):
    response = client_logged_in.post(reverse("routines:account"), data)

    user.refresh_from_db()
    assert response.status_code == 422
    assert 'class="errorlist' in response.content.decode()
    assert user.email == "alice@example.org"


# --- Download all my data -----------------------------------------------------------------------


def test_it_sends_the_data_as_a_json_attachment(client_logged_in):
    response = client_logged_in.get(reverse("routines:account-data"))

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="backwise-data-')
    assert "no-store" in response["Cache-Control"]


def test_the_download_holds_the_account_and_screening(client_logged_in, user, library):
    fill(user)

    data = download(client_logged_in)

    assert data["account"]["username"] == "alice"
    assert data["account"]["email"] == "alice@example.org"
    assert "password" not in data["account"]
    assert data["screening"]["usual_systolic"] == 135
    declared = {d["condition"]: d for d in data["screening"]["declared_conditions"]}
    assert declared["fever"]["until"] == "2030-01-02"
    assert declared["fever"]["name"] == "Fever"
    assert declared["hernia"]["until"] is None


def test_the_download_holds_routines_with_their_steps(client_logged_in, user, library):
    fill(user)

    routine = download(client_logged_in)["routines"][0]

    assert routine["name"] == "Evening back 0"
    assert len(routine["steps"]) == 3
    step = routine["steps"][0]
    assert step["technique"] == "light-stroking"
    assert step["zone"] == "whole-back"
    assert step["duration_s"] == 60
    assert step["note"] == "slowly"


def test_the_download_holds_sessions_with_events_check_ins_and_readings(
    client_logged_in, user, library
):
    fill(user)

    run = download(client_logged_in)["session_runs"][0]

    assert run["pain_before"] == 3
    assert run["pain_after"] == 1
    assert run["systolic_before"] == 142
    assert run["systolic_after"] == 131
    assert run["note"] == "much easier afterwards"
    assert run["day_check"] == {"fever": False, "systolic": 142}
    assert run["plan"][0]["technique"] == "Light stroking"
    assert [e["kind"] for e in run["events"]] == ["start"] * 3


def test_the_download_holds_courses_with_their_sessions(client_logged_in, user, library):
    fill(user)

    course = download(client_logged_in)["courses"][0]

    assert course["name"] == "Spring 0"
    assert course["start_date"] == "2026-11-23"
    first = course["sessions"][0]
    assert [s["index"] for s in course["sessions"]] == [1, 2]
    assert (first["pain_before"], first["pain_after"]) == (4, 2)
    assert (first["systolic_before"], first["systolic_after"]) == (150, 138)
    assert first["note"] == "tired legs"


def test_the_download_leaves_out_everyone_else(client_logged_in, user, other_user, library):
    fill(other_user)

    data = download(client_logged_in)

    assert data["screening"] is None
    assert data["routines"] == data["session_runs"] == data["courses"] == []


def test_every_stored_column_is_in_the_download(client_logged_in, user, library):
    fill(user)
    data = download(client_logged_in)
    documents = {
        Screening: [data["screening"]],
        DeclaredCondition: data["screening"]["declared_conditions"],
        Routine: data["routines"],
        RoutineStep: data["routines"][0]["steps"],
        SessionRun: data["session_runs"],
        RunEvent: data["session_runs"][0]["events"],
        Course: data["courses"],
        CourseSession: data["courses"][0]["sessions"],
    }

    for model, rows in documents.items():
        link_up = OWNED[model].split("__")[0]
        columns = {
            f.name if f.is_relation else f.attname
            for f in model._meta.concrete_fields
            if f.name != link_up
        }
        for row in rows:
            named = {key.removesuffix("_id") for key in row} | set(row)
            assert columns <= named, f"{model.__name__} lacks {columns - named}"


@pytest.mark.parametrize("times", [1, 10])
def test_the_download_takes_the_same_few_queries_however_much_there_is(
    client_logged_in, user, library, django_assert_max_num_queries, times
):
    fill(user, times=times)

    with django_assert_max_num_queries(11):
        data = download(client_logged_in)

    assert len(data["routines"]) == times
    assert sum(len(r["steps"]) for r in data["routines"]) == 3 * times


# --- Delete my account --------------------------------------------------------------------------


def delete(client, password=PASSWORD):
    return client.post(reverse("routines:account-delete"), {"password": password})


def test_it_asks_for_the_password_before_deleting(client_logged_in, user):
    response = client_logged_in.get(reverse("routines:account-delete"))

    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_it_deletes_the_account_and_everything_it_owns(client_logged_in, user, library):
    fill(user, times=2)
    before = rows_of(user)

    response = delete(client_logged_in)

    assert response.status_code == 302
    assert response.url == reverse("routines:account-deleted")
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert all(before.values()), "the test data should fill every model"
    left = {m.__name__: m.objects.filter(pk__in=pks).count() for m, pks in before.items()}
    assert set(left.values()) == {0}, left


def test_deleting_an_account_leaves_another_persons_data(
    client_logged_in, user, other_user, library
):
    fill(user)
    fill(other_user)
    theirs = rows_of(other_user)

    delete(client_logged_in)

    assert rows_of(other_user) == theirs
    assert get_user_model().objects.filter(pk=other_user.pk).exists()


def test_deleting_an_account_leaves_the_ready_made_routines(client_logged_in, user, library):
    fill(user)
    Routine.objects.get(slug="lumbar-protocol").copy_for(user)
    ready_made = list(Routine.objects.ready_made().values_list("pk", flat=True))
    steps = RoutineStep.objects.filter(routine__owner__isnull=True).count()

    delete(client_logged_in)

    assert list(Routine.objects.ready_made().values_list("pk", flat=True)) == ready_made
    assert RoutineStep.objects.filter(routine__owner__isnull=True).count() == steps


def test_deleting_an_account_removes_its_failed_login_records(client_logged_in, user):
    client_logged_in.post(reverse("login"), {"username": "alice", "password": "a guess"})
    AccessAttempt.objects.create(username="bob", ip_address="203.0.113.9", failures_since_start=1)

    delete(client_logged_in)

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["bob"]


def test_deleting_an_account_logs_out_and_says_goodbye(client_logged_in, user, library):
    response = delete(client_logged_in)

    goodbye = client_logged_in.get(response.url)
    assert "_auth_user_id" not in client_logged_in.session
    assert goodbye.status_code == 200
    assert "<h1>Your account is deleted</h1>" in goodbye.content.decode()
    assert client_logged_in.get(reverse("routines:account")).status_code == 302


@pytest.mark.parametrize("password", ["wrong", "", "a\x00b", "x" * 10_000])
def test_a_wrong_password_deletes_nothing(client_logged_in, user, library, password):
    fill(user)
    before = rows_of(user)

    response = delete(client_logged_in, password)

    assert response.status_code == 422
    assert 'class="errorlist' in response.content.decode()
    assert rows_of(user) == before
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_a_wrong_password_says_so(client_logged_in, user):
    response = delete(client_logged_in, "wrong")

    assert "That is not your password. Nothing was deleted." in response.content.decode()


def test_an_empty_post_deletes_nothing(client_logged_in, user):
    response = client_logged_in.post(reverse("routines:account-delete"))

    assert response.status_code == 422
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_guessing_the_password_on_the_delete_form_locks_it_out(client_logged_in, user):
    for _ in range(5):
        delete(client_logged_in, "a guess")

    response = delete(client_logged_in)

    assert response.status_code == 429
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_the_goodbye_page_is_public(client, db):
    assert client.get(reverse("routines:account-deleted")).status_code == 200


def test_the_download_holds_the_chosen_language(client_logged_in, user, library):
    client_logged_in.post(reverse("set_language"), {"language": "ru", "next": "/"})

    response = client_logged_in.get("/ru" + reverse("routines:account-data"))

    assert response.json()["preferences"] == {"language": "ru"}
