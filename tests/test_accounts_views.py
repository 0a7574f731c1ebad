"""Signing up, logging in and out, changing the password, and the account navigation."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

PASSWORD = "correct horse battery"


def test_it_shows_the_signup_form(client, db):
    response = client.get(reverse("routines:signup"))

    assert response.status_code == 200
    assert 'name="password2"' in response.content.decode()


def test_it_signs_up_logs_in_and_opens_the_screening(client, db):
    response = client.post(
        reverse("routines:signup"),
        {"username": "carol", "password1": "a quiet meadow 42", "password2": "a quiet meadow 42"},
    )

    assert response.status_code == 302
    assert response.url == reverse("routines:screening")
    assert client.get(reverse("routines:screening")).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"username": "carol", "password1": "a quiet meadow 42", "password2": "something else"},
        {"username": "carol", "password1": "123", "password2": "123"},
        {"username": "", "password1": "a quiet meadow 42", "password2": "a quiet meadow 42"},
        {"username": "x" * 151, "password1": "a quiet meadow 42", "password2": "a quiet meadow 42"},
        {"username": "alice", "password1": "a quiet meadow 42", "password2": "a quiet meadow 42"},
    ],
)
def test_it_refuses_a_bad_signup(client, user, data):
    response = client.post(reverse("routines:signup"), data)

    assert response.status_code == 422
    assert get_user_model().objects.count() == 1


def test_it_sends_a_logged_in_person_from_signup_to_their_routines(client_logged_in):
    response = client_logged_in.get(reverse("routines:signup"))

    assert response.status_code == 302
    assert response.url == reverse("routines:routine-list")


def test_it_shows_the_login_form(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


def test_it_logs_in_and_follows_next(client, user):
    response = client.post(
        reverse("login"),
        {"username": "alice", "password": PASSWORD, "next": reverse("routines:routine-list")},
    )

    assert response.status_code == 302
    assert response.url == reverse("routines:routine-list")


def test_it_refuses_a_wrong_password(client, user):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_logs_out_with_a_post(client_logged_in, library):
    response = client_logged_in.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client_logged_in.session


def test_it_changes_the_password(client_logged_in, user):
    response = client_logged_in.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another long phrase 7",
            "new_password2": "another long phrase 7",
        },
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert user.check_password("another long phrase 7")
    assert client_logged_in.get(reverse("password_change_done")).status_code == 200


def test_it_refuses_a_password_change_with_the_wrong_old_password(client_logged_in, user):
    response = client_logged_in.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "another long phrase 7",
            "new_password2": "another long phrase 7",
        },
    )

    user.refresh_from_db()
    assert response.status_code == 200
    assert user.check_password(PASSWORD)


def test_it_shows_account_links_to_a_logged_in_person(client_logged_in, library):
    html = client_logged_in.get(reverse("routines:ready-made-list")).content.decode()

    assert 'href="/me/routines/"' in html
    assert 'href="/me/screening/"' in html
    assert "Log out</button>" in html
    assert ">Sign up<" not in html


def test_it_shows_log_in_and_sign_up_to_anonymous_people(client, library):
    html = client.get(reverse("routines:ready-made-list")).content.decode()

    assert 'href="/accounts/login/"' in html
    assert 'href="/accounts/signup/"' in html
    assert "Log out" not in html


def test_it_keeps_the_optional_email_address_given_at_signup(client, db):
    password = "a quiet meadow 42"
    data = {"username": "carol", "email": "carol@example.org"}
    client.post(reverse("routines:signup"), {**data, "password1": password, "password2": password})

    assert get_user_model().objects.get(username="carol").email == "carol@example.org"


def test_it_refuses_a_signup_with_a_bad_email_address(client, db):
    password = "a quiet meadow 42"
    data = {"username": "carol", "email": "not an address"}
    response = client.post(
        reverse("routines:signup"), {**data, "password1": password, "password2": password}
    )

    assert response.status_code == 422
    assert not get_user_model().objects.filter(username="carol").exists()
