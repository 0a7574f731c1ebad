"""A forgotten password is reset through a link sent by e-mail, with Django's own views."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

NEW_PASSWORD = "a brand new phrase 9"
LINK = re.compile(r"http://testserver(/accounts/reset/[^/\s]+/[^/\s]+/)")


def ask_for_a_reset(client, email="alice@example.org"):
    return client.post(reverse("password_reset"), {"email": email})


def link_in(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def test_the_login_page_links_to_the_reset(client, db):
    html = client.get(reverse("login")).content.decode()

    assert f'<a href="{reverse("password_reset")}">Forgot your password?</a>' in html


def test_it_shows_the_reset_form(client, db):
    response = client.get(reverse("password_reset"))

    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


def test_it_sends_a_reset_link_to_the_accounts_address(client, user):
    response = ask_for_a_reset(client)

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "Reset your Backwise password"
    assert "Hello alice," in message.body
    assert link_in(message)


def test_the_link_lets_a_new_password_be_set_and_used(client, user):
    ask_for_a_reset(client)
    form_url = client.get(link_in(mail.outbox[0])).url

    form = client.get(form_url)
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert form.status_code == 200
    assert "<h1>Choose a new password</h1>" in form.content.decode()
    assert response.status_code == 302
    assert response.url == reverse("password_reset_complete")
    assert client.get(response.url).status_code == 200
    logged_in = client.post(reverse("login"), {"username": "alice", "password": NEW_PASSWORD})
    assert logged_in.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_link_works_only_once(client, user):
    ask_for_a_reset(client)
    link = link_in(mail.outbox[0])
    form_url = client.get(link).url
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = client.get(link)

    assert response.status_code == 200
    assert "This link no longer works" in response.content.decode()


def test_an_unknown_address_reveals_nothing(client, user):
    known = ask_for_a_reset(client)
    unknown = ask_for_a_reset(client, email="stranger@example.org")

    assert unknown.status_code == known.status_code == 302
    assert unknown.url == known.url
    assert len(mail.outbox) == 1
    done = client.get(unknown.url).content.decode()
    assert "If the address you entered belongs to an account" in done


def test_an_account_without_an_address_gets_no_mail(client, user):
    get_user_model().objects.filter(pk=user.pk).update(email="")

    ask_for_a_reset(client, email="")

    assert mail.outbox == []


@pytest.mark.parametrize("data", [{}, {"email": "not an address"}, {"email": "a" * 300 + "@x.org"}])
def test_garbage_on_the_reset_form_gets_422(client, user, data):
    response = client.post(reverse("password_reset"), data)

    assert response.status_code == 422
    assert 'class="errorlist' in response.content.decode()
    assert mail.outbox == []


def test_mismatched_new_passwords_get_422_and_change_nothing(client, user):
    ask_for_a_reset(client)
    form_url = client.get(link_in(mail.outbox[0])).url

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": "other"})

    user.refresh_from_db()
    assert response.status_code == 422
    assert user.check_password("correct horse battery")


def test_a_forged_link_shows_that_it_no_longer_works(client, user):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "not-a-token"]))

    assert response.status_code == 200
    assert "<h1>This link no longer works</h1>" in response.content.decode()


def test_a_post_to_a_forged_link_changes_nothing(client, user):
    url = reverse("password_reset_confirm", args=["MQ", "not-a-token"])

    response = client.post(url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    user.refresh_from_db()
    assert response.status_code == 422
    assert "This link no longer works" in response.content.decode()
    assert user.check_password("correct horse battery")


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_reset_form_takes_no_other_method(client, db, method):
    response = getattr(client, method)(reverse("password_reset"))

    assert response.status_code == 405


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_reset_link_takes_no_other_method(client, user, method):
    ask_for_a_reset(client)

    response = getattr(client, method)(link_in(mail.outbox[0]))

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
