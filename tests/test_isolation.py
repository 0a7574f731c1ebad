"""Isolation on every URL, found by walking the resolver: a new view is covered the day it ships.

For each URL that is not public: a visitor who is not logged in is sent to log in, and another
person gets 404 for anything that names someone's own object, and changes none of their rows.
tests/urlmap.py says how to build each URL's arguments; it holds no list of what to test.
"""

import pytest
from django.urls import reverse

from tests.rows import owned_models, rows_of
from tests.urlmap import BUILDERS, PUBLIC, Route, World, missing_builders, target, walk

ROUTES = walk()
PRIVATE = [r for r in ROUTES if not r.is_public]
OPEN = [r for r in ROUTES if r.is_public]


def _id(route: Route) -> str:
    return route.name


def test_every_url_is_public_or_has_a_builder():
    missing = missing_builders(ROUTES)

    assert not missing, (
        f"No builder in tests/urlmap.py for {', '.join(missing)}: add one to BUILDERS saying how "
        "to build its arguments (or name it in PUBLIC if anyone may open it)."
    )


def test_every_public_name_and_builder_is_a_url():
    names = {r.name for r in walk(django_auth=True)}

    assert not (PUBLIC | set(BUILDERS)) - names


def test_the_owner_lookup_finds_every_persons_model():
    found = {model._meta.model_name for model, _ in owned_models()}

    assert {"routine", "routinestep", "sessionrun", "runevent", "course"} <= found
    assert {"coursesession", "screening", "declaredcondition"} <= found


@pytest.mark.parametrize("route", PRIVATE, ids=_id)
def test_a_visitor_not_logged_in_is_sent_to_log_in(client, user, library, route):
    request = target(route, World(user))
    url = request.url(route.name)
    login = reverse("login") + "?next="

    for response in (client.get(url, request.query), client.post(url, request.data)):
        assert response.status_code == 302, f"{response.request['REQUEST_METHOD']} {url}"
        assert response["Location"].startswith(login)


@pytest.mark.parametrize("route", PRIVATE, ids=_id)
def test_another_person_gets_404_and_changes_nothing(client, user, other_user, library, route):
    request = target(route, World(user))
    url = request.url(route.name)
    before = rows_of(user)
    client.force_login(other_user)

    allowed = client.put(url)["Allow"]  # a method no view takes: the 405 names the others
    answers = {"GET": client.get(url, request.query), "POST": client.post(url, request.data)}

    for method, response in answers.items():
        if method not in allowed:
            assert response.status_code == 405, method
        elif request.owned:
            assert response.status_code == 404, method
        assert response.status_code < 500, method
    assert rows_of(user) == before


@pytest.mark.parametrize("route", OPEN, ids=_id)
def test_a_public_page_opens_without_logging_in(client, user, library, route):
    request = target(route, World(user))

    response = client.get(request.url(route.name), request.query)
    if response.status_code == 405:  # an action anyone may take (the language switcher)
        response = client.post(request.url(route.name), request.data)
        assert response.status_code == 302
        return

    assert response.status_code in (200, 301)
