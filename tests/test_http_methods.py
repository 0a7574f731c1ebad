"""HTTP method hygiene on every URL, found by walking the resolver.

Every page that answers GET answers HEAD the same way with no body, and changes nothing; a method
a view does not take gets 405 with an `Allow` header (Django's HttpResponseNotAllowed).
"""

import pytest

from tests.rows import rows_of
from tests.urlmap import Route, World, target, walk

ROUTES = walk()


def _id(route: Route) -> str:
    return route.name


@pytest.mark.parametrize("route", ROUTES, ids=_id)
def test_head_answers_like_get_with_an_empty_body(client, user, library, route):
    client.force_login(user)
    request = target(route, World(user))
    url = request.url(route.name)

    got = client.get(url, request.query)
    head = client.head(url, request.query)

    assert head.status_code // 100 == got.status_code // 100
    assert head.get("Content-Type") == got.get("Content-Type")
    assert head.content == b""


@pytest.mark.parametrize("route", ROUTES, ids=_id)
def test_get_and_head_change_nothing(client, user, library, route):
    client.force_login(user)
    request = target(route, World(user))
    url = request.url(route.name)
    before = rows_of(user)

    client.get(url, request.query)
    client.head(url, request.query)

    assert rows_of(user) == before


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("route", ROUTES, ids=_id)
def test_an_unused_method_gets_405_naming_the_allowed_ones(client, user, library, route, method):
    client.force_login(user)
    request = target(route, World(user))

    response = client.generic(method, request.url(route.name))

    assert response.status_code == 405
    allowed = {m.strip() for m in response["Allow"].split(",")}
    assert allowed <= {"GET", "HEAD", "POST"}
    assert ("GET" in allowed) == ("HEAD" in allowed)
