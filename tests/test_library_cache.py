"""Library pages: cached by library version, revalidated by conditional GET, never shared
between people, and free of per-visitor state."""

import shutil

import pytest
from django.urls import reverse

from routines.content.loader import CONTENT_DIR, load
from routines.models import Technique
from tests.pages import public_urls
from tests.routine_helpers import safe_routine

LIBRARY_PAGES = [
    reverse("routines:home"),
    reverse("routines:technique-list"),
    reverse("routines:technique-list") + "?category=rubbing&intensity=2",
    reverse("routines:technique-detail", args=["light-stroking"]),
    reverse("routines:zone-map"),
    reverse("routines:zone-detail", args=["kidney-area"]),
    reverse("routines:contraindication-list"),
    reverse("routines:massage-type-list"),
    reverse("routines:ready-made-list"),
    reverse("routines:ready-made-detail", args=["lumbar-protocol"]),
]


@pytest.mark.parametrize("url", LIBRARY_PAGES)
def test_a_library_page_answers_304_to_its_own_etag(client, library, url):
    first = client.get(url)

    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"] and "private" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize("url", LIBRARY_PAGES)
def test_a_library_page_carries_no_per_visitor_state(client, library, url):
    response = client.get(url)

    assert "csrftoken" not in response.cookies
    assert b"csrfmiddlewaretoken" not in response.content
    assert b"X-CSRFToken" not in response.content


@pytest.mark.parametrize("url", LIBRARY_PAGES)
def test_a_cached_library_page_costs_one_query(client, library, url, django_assert_num_queries):
    client.get(url)

    with django_assert_num_queries(1):  # the library version
        response = client.get(url)
    assert response.status_code == 200


def test_an_admin_edit_shows_on_the_next_request(admin_client, client, library):
    url = reverse("routines:technique-detail", args=["light-stroking"])
    before = client.get(url)
    technique = Technique.objects.get(slug="light-stroking")
    change = reverse("admin:routines_technique_change", args=[technique.pk])
    form = admin_client.get(change).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(
        {
            # Each text in English and Russian, side by side (routines/translation.py).
            "name_en": "Feather stroking",
            "name_ru": "Лёгкое поглаживание",
            "aliases_en": '["effleurage"]',
            "aliases_ru": '["эффлераж"]',
            "alias_notes_en": "{}",
            "alias_notes_ru": "{}",
            "steps_en": '["Glide."]',
            "steps_ru": '["Скользите."]',
            "sources": [s.pk for s in technique.sources.all()],
            "typical_zones": [z.pk for z in technique.typical_zones.all()],
            "massage_types": [t.pk for t in technique.massage_types.all()],
        }
    )
    for prefix in ("zone_rules", "condition_rules"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}

    saved = admin_client.post(change, data)

    assert saved.status_code == 302, saved.context["adminform"].form.errors
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert b"Feather stroking" in after.content
    assert after["ETag"] != before["ETag"]


def test_reloading_the_library_shows_on_the_next_request(client, library, tmp_path):
    """An edited content file, loaded as `load_library` does, shows at once."""
    url = reverse("routines:technique-detail", args=["light-stroking"])
    before = client.get(url)
    assert b"Light stroking" in before.content
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    techniques = content / "techniques.toml"
    techniques.write_text(
        techniques.read_text().replace('name = "Light stroking"', 'name = "Feather stroking"', 1)
    )

    load(content)

    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert b"Feather stroking" in after.content


def test_no_person_is_served_another_persons_page(client, library, user, other_user):
    url = reverse("routines:technique-detail", args=["light-stroking"])
    safe_routine(user, name="Alice own evening routine")
    safe_routine(other_user, name="Bob private routine")

    client.force_login(user)
    client.get(url)  # the first page hands out the CSRF cookie its form needs
    alice = client.get(url)
    client.force_login(other_user)
    client.get(url)
    bob = client.get(url)

    assert b"Alice own evening routine" in alice.content
    assert b"Alice own evening routine" not in bob.content
    assert b"Bob private routine" in bob.content
    assert alice["ETag"] != bob["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=alice["ETag"]).status_code == 200


def test_a_visitor_is_not_served_a_logged_in_page(client, library, user):
    url = reverse("routines:technique-detail", args=["light-stroking"])
    client.force_login(user)
    client.get(url)
    client.logout()

    page = client.get(url).content.decode()

    assert "My account" not in page and "Log out" not in page


def test_every_public_page_sets_no_csrf_cookie_unless_it_has_a_form(client, library):
    for url in public_urls():
        response = client.get(url)
        # The language switcher posts without a token (routines/views/language.py says why).
        has_form = b"csrfmiddlewaretoken" in response.content
        assert ("csrftoken" in response.cookies) == has_form, url
