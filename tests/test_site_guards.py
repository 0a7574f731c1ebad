"""Cheap site-wide guards: migrations are in step, and every listed page renders sanely."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from tests.pages import public_urls

H1_TAG = re.compile(r"<h1[\s>]", re.IGNORECASE)


def test_no_model_change_lacks_a_migration(db):
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"Models changed without a migration:\n{out.getvalue()}")


@pytest.mark.parametrize("url", public_urls())
def test_public_page_renders(client, library, url):
    response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("url", public_urls())
def test_public_page_has_exactly_one_h1(client, library, url):
    html = client.get(url).content.decode()

    assert len(H1_TAG.findall(html)) == 1


@pytest.mark.parametrize("url", ["/techniques/no-such-thing/", "/zones/no-such-zone/"])
def test_unknown_slug_is_404(client, library, url):
    # The test client re-raises a view's exception, so a 500 fails here with its traceback.
    response = client.get(url)

    assert response.status_code == 404


HTMX_CONFIG = re.compile(r"<meta name=\"htmx-config\" content='([^']*)'>")


@pytest.mark.parametrize("url", public_urls())
def test_public_page_carries_the_strict_htmx_config(client, library, url):
    found = HTMX_CONFIG.search(client.get(url).content.decode())

    assert found, "base.html's htmx-config meta tag is missing"
    config = json.loads(found.group(1))
    assert config["allowEval"] is False
    assert config["includeIndicatorStyles"] is False
    assert {"code": "^(409|422)$", "swap": True, "error": False} in config["responseHandling"]


def _swaps_422(html: str) -> bool:
    match = re.search(r"<meta name=\"htmx-config\" content='([^']+)'", html)
    if not match:
        return False
    rules = json.loads(match.group(1))["responseHandling"]
    first = next(r for r in rules if re.search(r["code"], "422"))
    return first["swap"] is True


@pytest.mark.parametrize("url", public_urls())
def test_every_public_page_lets_htmx_show_a_refusal(client, library, url):
    # A 409 or 422 answer carries the form with its errors: htmx must swap it in, on every page.
    assert _swaps_422(client.get(url).content.decode())
