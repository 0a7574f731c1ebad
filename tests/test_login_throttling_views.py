"""Too many wrong passwords lock an account out for one client; sign-ups are limited per client;
after logging in, `next` only leads within the site."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

PASSWORD = "correct horse battery"


def log_in(client, password, username="alice", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def fail_five_times(client, username="alice"):
    return [log_in(client, "wrong guess", username) for _ in range(5)]


def test_four_wrong_passwords_still_let_the_right_one_in(client, user):
    for _ in range(4):
        log_in(client, "wrong guess")

    response = log_in(client, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_it_locks_the_account_out_after_five_wrong_passwords(client, user):
    fail_five_times(client)

    response = log_in(client, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_says_what_happened_and_how_long_to_wait(client, user):
    fail_five_times(client)

    response = log_in(client, PASSWORD)

    html = response.content.decode()
    assert "<h1>Too many failed log-ins</h1>" in html
    assert "for 15 minutes" in html
    assert 'class="site-header"' in html
    assert response["Retry-After"] == "900"


def test_the_fifth_wrong_password_already_gets_the_lockout_page(client, user):
    responses = fail_five_times(client)

    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]


@override_settings(AXES_COOLOFF_TIME=dt.timedelta(minutes=3))
def test_the_lockout_page_names_the_configured_cool_off(client, user):
    fail_five_times(client)

    response = log_in(client, PASSWORD)

    assert "for 3 minutes" in response.content.decode()
    assert response["Retry-After"] == "180"


def test_the_lockout_holds_for_that_account_from_that_client_only(client, user, other_user):
    fail_five_times(client)
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")

    assert log_in(client, PASSWORD, username="bob").status_code == 302
    assert log_in(elsewhere, PASSWORD).status_code == 302


def test_an_unknown_username_is_locked_out_the_same_way(client, db):
    responses = fail_five_times(client, username="nobody")

    assert responses[-1].status_code == 429


def test_a_successful_login_clears_the_failures(client, user):
    for _ in range(4):
        log_in(client, "wrong guess")
    log_in(client, PASSWORD)
    client.post(reverse("logout"))

    responses = [log_in(client, "wrong guess") for _ in range(4)]

    assert [r.status_code for r in responses] == [200] * 4
    assert log_in(client, PASSWORD).status_code == 302


def test_a_failed_login_keeps_no_password(client, user):
    log_in(client, "my secret guess")

    attempt = AccessAttempt.objects.get(username="alice")
    assert "my secret guess" not in attempt.post_data


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"username": "x" * 5000, "password": "y"},  # a 500 on PostgreSQL once
        {"username": "a\x00b", "password": "y"},
        {"username": "a\x00b"},
    ],
)
def test_garbage_on_the_login_form_is_refused_without_a_500(client, db, data):
    response = client.post(reverse("login"), data)

    assert response.status_code in (200, 429)


def test_a_very_long_guess_is_counted_under_a_storable_name(client, db):
    for _ in range(5):
        client.post(reverse("login"), {"username": "x" * 5000, "password": "y"})

    attempt = AccessAttempt.objects.get()
    assert attempt.username == "x" * 150
    assert (
        client.post(reverse("login"), {"username": "x" * 5000, "password": "y"}).status_code == 429
    )


def test_the_test_clients_login_still_works(client, user):
    assert client.login(username="alice", password=PASSWORD)
    assert not client.login(username="alice", password="wrong")


def test_force_login_still_works(client, user):
    client.force_login(user)

    assert client.get(reverse("routines:routine-list")).status_code == 200


# --- Where `next` may lead ----------------------------------------------------------------------


def test_a_local_next_is_followed_after_login(client, user):
    response = client.post(
        reverse("login") + "?next=/me/screening/",
        {"username": "alice", "password": PASSWORD, "next": "/me/screening/"},
    )

    assert response.status_code == 302
    assert response.url == "/me/screening/"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "http://evil.example/me/", "https:evil.example"],
)
def test_a_next_to_another_site_lands_on_the_dashboard(client, user, next_url):
    response = client.post(
        reverse("login") + f"?next={next_url}",
        {"username": "alice", "password": PASSWORD, "next": next_url},
    )

    assert response.status_code == 302
    assert response.url == reverse("routines:dashboard")


# --- The sign-up limit --------------------------------------------------------------------------


def sign_up(client, username):
    password = "a quiet meadow 42"
    data = {"username": username, "password1": password, "password2": password}
    return client.post(reverse("routines:signup"), data)


def test_it_allows_five_sign_ups_from_one_client(db):
    responses = [sign_up(Client(), f"person{n}") for n in range(5)]

    assert [r.status_code for r in responses] == [302] * 5


def test_it_refuses_a_sixth_sign_up_from_one_client_within_the_hour(db):
    for n in range(5):
        sign_up(Client(), f"person{n}")

    response = sign_up(Client(), "one-too-many")

    assert response.status_code == 429
    assert "Too many accounts were opened from your connection" in response.content.decode()
    assert not get_user_model().objects.filter(username="one-too-many").exists()


def test_the_sign_up_limit_is_per_client(db):
    for n in range(5):
        sign_up(Client(), f"person{n}")

    response = sign_up(Client(REMOTE_ADDR="203.0.113.9"), "from-elsewhere")

    assert response.status_code == 302


def test_a_refused_sign_up_does_not_count(db):
    for _ in range(6):
        client = Client()
        client.post(reverse("routines:signup"), {"username": "x", "password1": "1"})

    assert sign_up(Client(), "still-welcome").status_code == 302


def test_sign_ups_are_allowed_again_once_the_hour_is_over(db):
    for n in range(5):
        sign_up(Client(), f"person{n}")

    cache.delete("signups:127.0.0.1")  # what the end of the hour does

    assert sign_up(Client(), "next-hour").status_code == 302


# --- Which client is asking ---------------------------------------------------------------------


def test_without_a_proxy_the_forwarded_header_is_ignored(client, user):
    forged = {"headers": {"x-forwarded-for": "198.51.100.1"}}
    for _ in range(5):
        log_in(client, "wrong guess", **forged)

    attempt = AccessAttempt.objects.get(username="alice")
    assert attempt.ip_address == "127.0.0.1"


@override_settings(CLIENT_IP_FROM_X_FORWARDED_FOR=True)
def test_behind_a_proxy_the_last_forwarded_address_is_the_client(client, user):
    log_in(client, "wrong", headers={"x-forwarded-for": "198.51.100.1, 203.0.113.7"})

    attempt = AccessAttempt.objects.get(username="alice")
    assert attempt.ip_address == "203.0.113.7"


@override_settings(CLIENT_IP_FROM_X_FORWARDED_FOR=True)
def test_behind_a_proxy_two_clients_are_locked_out_apart(user):
    first = Client(headers={"x-forwarded-for": "203.0.113.7"})
    second = Client(headers={"x-forwarded-for": "203.0.113.8"})
    fail_five_times(first)

    assert log_in(second, PASSWORD).status_code == 302
