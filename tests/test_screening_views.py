"""The health screening: declaring conditions, and what they mean for the person."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from routines.models import Contraindication, DeclaredCondition, Screening
from tests.factories import CourseFactory, CourseSessionFactory

URL = "/me/screening/"


def declared(user) -> dict[str, dt.date | None]:
    return {
        d.condition.slug: d.until
        for d in DeclaredCondition.objects.filter(screening__user=user).select_related("condition")
    }


def test_its_url_is_the_screening_route():
    assert reverse("routines:screening") == URL


def test_it_needs_an_account(client, library):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_groups_the_conditions_by_kind_with_their_effect(client_logged_in, library):
    html = client_logged_in.get(URL).content.decode()

    assert "Absolute: no massage" in html
    assert "Temporary: postpone" in html
    assert "Condition-specific: changes the routine" in html
    assert Contraindication.objects.get(slug="fever").effect in html


def test_it_says_it_does_not_replace_a_doctor_and_lists_who_should_see_one(
    client_logged_in, library
):
    html = client_logged_in.get(URL).content.decode()

    assert "does not replace a doctor" in html
    for condition in Contraindication.objects.filter(see_doctor=True):
        assert f"<li>{condition.name}</li>" in html


def test_it_saves_the_declared_conditions(client_logged_in, user, library):
    until = timezone.localdate() + dt.timedelta(days=5)

    response = client_logged_in.post(
        URL,
        {
            "conditions": ["fever", "hypertension"],
            "until-fever": until.isoformat(),
            "usual_systolic": "150",
        },
    )

    assert response.status_code == 302
    assert declared(user) == {"fever": until, "hypertension": None}
    assert Screening.objects.get(user=user).usual_systolic == 150


def test_it_replaces_the_previous_answers(client_logged_in, user, library):
    client_logged_in.post(URL, {"conditions": ["fever", "pregnancy"]})

    client_logged_in.post(URL, {"conditions": ["hernia"]})

    assert declared(user) == {"hernia": None}
    assert Screening.objects.filter(user=user).count() == 1


def test_it_shows_each_declared_effect_after_saving(client_logged_in, library):
    response = client_logged_in.post(URL, {"conditions": ["hernia"]}, follow=True)

    html = response.content.decode()
    assert "What your answers mean" in html
    assert Contraindication.objects.get(slug="hernia").effect in html


def test_it_warns_plainly_against_any_massage_with_an_absolute_condition(client_logged_in, library):
    response = client_logged_in.post(URL, {"conditions": ["oncology"]}, follow=True)

    name = Contraindication.objects.get(slug="oncology").name
    assert f"No massage while this applies: {name}." in response.content.decode()


def test_it_shows_no_banner_without_an_absolute_condition(client_logged_in, library):
    response = client_logged_in.post(URL, {"conditions": ["fever"]}, follow=True)

    assert "No massage while this applies" not in response.content.decode()


def test_it_prefills_the_form_with_the_current_answers(client_logged_in, user, library):
    client_logged_in.post(URL, {"conditions": ["hernia"], "usual_systolic": "120"})

    html = client_logged_in.get(URL).content.decode()

    assert 'value="hernia" id="id_conditions_' in html
    assert html.count(" checked>") == 1
    assert 'value="120"' in html


@pytest.mark.parametrize(
    "data",
    [
        {"conditions": ["no-such-condition"]},
        {"conditions": ["fever"], "usual_systolic": "59"},
        {"conditions": ["fever"], "usual_systolic": "261"},
        {"conditions": ["fever"], "usual_systolic": "high"},
        {"conditions": ["fever"], "until-fever": "not a date"},
        {"conditions": ["fever"], "until-fever": "2001-01-01"},
    ],
)
def test_it_refuses_bad_answers_and_keeps_the_old_ones(client_logged_in, user, library, data):
    client_logged_in.post(URL, {"conditions": ["hernia"]})

    response = client_logged_in.post(URL, data)

    assert response.status_code == 422
    assert declared(user) == {"hernia": None}


def test_it_refuses_an_end_date_more_than_twelve_months_away(client_logged_in, user, library):
    # An end at the calendar's edge moved the person's course past the year 9999: a 500, with
    # the screening already saved. The course moves only within twelve months, as postponing does.
    course = CourseFactory(owner=user, start_date=timezone.localdate())
    CourseSessionFactory(course=course, index=1, planned_date=timezone.localdate())
    client_logged_in.post(URL, {"conditions": ["hernia"]})
    far = timezone.localdate() + dt.timedelta(days=366)

    for until in ("9999-12-30", far.isoformat()):
        response = client_logged_in.post(URL, {"conditions": ["fever"], "until-fever": until})

        assert response.status_code == 422
        assert "within the next twelve months" in response.content.decode()
    assert declared(user) == {"hernia": None}
    assert course.sessions.get().planned_date == timezone.localdate()


def test_a_failure_while_moving_courses_keeps_the_old_answers(
    client_logged_in, user, library, monkeypatch
):
    client_logged_in.post(URL, {"conditions": ["hernia"]})

    def fail(*args, **kwargs):
        raise OverflowError("date value out of range")

    monkeypatch.setattr("routines.views.screening.postpone_while_waiting", fail)

    with pytest.raises(OverflowError):
        client_logged_in.post(URL, {"conditions": ["fever"]})
    assert declared(user) == {"hernia": None}


def test_it_explains_a_systolic_reading_out_of_range(client_logged_in, library):
    response = client_logged_in.post(URL, {"usual_systolic": "300"})

    assert "less than or equal to 260" in response.content.decode()


def test_an_ended_temporary_condition_no_longer_counts(client_logged_in, user, library):
    screening = Screening.objects.create(user=user)
    DeclaredCondition.objects.create(
        screening=screening,
        condition=Contraindication.objects.get(slug="fever"),
        until=timezone.localdate() - dt.timedelta(days=1),
    )

    html = client_logged_in.get(URL).content.decode()

    assert "no longer affects your routines" in html


def test_each_person_sees_only_their_own_screening(client, user, other_user, library):
    client.force_login(user)
    client.post(URL, {"conditions": ["pregnancy"]})
    client.force_login(other_user)

    html = client.get(URL).content.decode()

    assert "What your answers mean" not in html
    assert " checked>" not in html
