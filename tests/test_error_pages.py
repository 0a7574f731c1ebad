"""Error pages keep the site's layout and a way back, even when the server itself failed."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import permission_denied, server_error

H1_TAG = re.compile(r"<h1[\s>]", re.IGNORECASE)


def assert_site_layout(html: str) -> None:
    assert 'class="site-header"' in html
    assert '<main id="main"' in html
    assert 'class="site-footer"' in html
    assert len(H1_TAG.findall(html)) == 1
    assert f'href="{reverse("routines:home")}">Back to the start</a>' in html


def test_a_missing_page_has_the_site_layout(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert_site_layout(response.content.decode())


def test_a_missing_page_knows_who_is_logged_in(client_logged_in):
    html = client_logged_in.get("/no-such-page/").content.decode()

    assert "Log out</button>" in html


def test_a_request_for_another_host_gets_the_400_page(client, db):
    response = client.get("/", headers={"host": "evil.example"})

    assert response.status_code == 400
    assert_site_layout(response.content.decode())


def test_a_refused_permission_gets_the_403_page(db):
    request = RequestFactory().get("/me/routines/")

    response = permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    assert_site_layout(response.content.decode())


def test_a_form_without_its_csrf_token_gets_the_403_page(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "a", "password": "b"})

    assert response.status_code == 403
    assert "That form has expired" in response.content.decode()
    assert_site_layout(response.content.decode())


def test_the_500_page_has_the_site_layout_without_the_database():
    # No `db` fixture: pytest-django fails this test if rendering the page touches the database.
    request = RequestFactory().get("/")

    response = server_error(request)

    assert response.status_code == 500
    assert_site_layout(response.content.decode())


@pytest.mark.parametrize("template", ["500.html", "403_csrf.html"])
def test_a_page_rendered_without_a_request_offers_no_account_links(template):
    # Without a request nobody is known to be logged in; "Log in" could mislead someone who is.
    from django.template.loader import render_to_string

    html = render_to_string(template)

    assert 'aria-label="Your account"' not in html
