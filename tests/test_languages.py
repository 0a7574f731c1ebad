"""Russian and English: addresses per language, the switcher, the remembered choice, and the
catalogue's texts in both languages."""

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from modeltranslation.translator import translator

from routines.models import Preferences, Technique

TECHNIQUES = "/techniques/"


def switch(client, language, next_url=TECHNIQUES):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_english_stays_at_its_addresses_and_russian_lives_under_ru(client, library):
    english = client.get(TECHNIQUES)
    russian = client.get("/ru" + TECHNIQUES)

    assert english.status_code == russian.status_code == 200
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="ru">' in russian.content.decode()


def test_every_page_names_its_twin_in_the_other_language(client, library):
    page = client.get("/ru/techniques/light-stroking/").content.decode()

    assert 'hreflang="en" href="http://testserver/techniques/light-stroking/"' in page
    assert 'hreflang="ru" href="http://testserver/ru/techniques/light-stroking/"' in page
    assert 'hreflang="x-default" href="http://testserver/techniques/light-stroking/"' in page


def test_the_catalogue_reads_in_russian_under_ru(client, library):
    page = client.get("/ru/techniques/light-stroking/").content.decode()

    assert Technique.objects.get(slug="light-stroking").name_ru in page
    assert "Light stroking" not in page


def test_the_switcher_is_a_plain_form_that_needs_no_script_or_token(client, library):
    page = client.get("/").content.decode()

    assert f'action="{reverse("set_language")}"' in page
    assert '<select id="language-choice" name="language">' in page
    assert "csrfmiddlewaretoken" not in page


def test_switching_to_russian_goes_to_the_same_page_in_russian(client, library):
    response = switch(client, "ru")

    assert response.status_code == 302
    assert response["Location"] == "/ru" + TECHNIQUES
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"


def test_switching_back_to_english_drops_the_prefix(client, library):
    response = switch(client, "en", "/ru" + TECHNIQUES)

    assert response["Location"] == TECHNIQUES


def test_an_unknown_language_is_refused_with_a_clear_400(client, library):
    response = switch(client, "klingon")

    assert response.status_code == 400
    assert b"Unknown language" in response.content
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_an_outside_next_address_is_not_followed(client, library):
    response = switch(client, "ru", "https://evil.example/")

    assert not response["Location"].startswith("https://evil.example")


def test_a_browser_that_prefers_russian_is_led_to_the_russian_page(client, library):
    response = client.get(TECHNIQUES, HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.5")

    assert response.status_code == 302
    assert response["Location"] == "/ru" + TECHNIQUES
    assert "Accept-Language" in response["Vary"]


def test_an_english_choice_on_this_device_wins_over_the_browser(client, library):
    switch(client, "en")

    response = client.get(TECHNIQUES, HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 200


def test_htmx_requests_and_non_page_addresses_are_never_redirected(client, library):
    htmx = client.get(TECHNIQUES, HTTP_ACCEPT_LANGUAGE="ru", HTTP_HX_REQUEST="true")
    health = client.get("/healthz", HTTP_ACCEPT_LANGUAGE="ru")

    assert htmx.status_code == 200
    assert health.status_code == 200


def test_a_persons_choice_is_kept_on_the_account_and_follows_them_to_a_new_device(
    client, django_user_model, library
):
    person = django_user_model.objects.create_user("ivan", password="a long test password")
    client.force_login(person)
    switch(client, "ru")
    assert Preferences.objects.get(user=person).language == "ru"

    other_device = type(client)()
    other_device.post(reverse("login"), {"username": "ivan", "password": "a long test password"})
    response = other_device.get(reverse("routines:routine-list"))

    assert response.status_code == 302
    assert response["Location"] == "/ru" + reverse("routines:routine-list")


def test_search_finds_techniques_by_their_russian_names_and_aliases(client, library):
    for words in ("растирание", "Растирание", "разминание", "поколачивание"):
        page = client.get("/ru/techniques/", {"q": words})
        assert page.status_code == 200
        assert page.context["techniques"].exists(), words


# --- The catalogue's texts -------------------------------------------------------------------


def catalogue_rows(model):
    """The library's rows: a person's own routines and steps hold their own words."""
    if model._meta.model_name == "routine":
        return model.objects.filter(owner__isnull=True)
    if model._meta.model_name == "routinestep":
        return model.objects.filter(routine__owner__isnull=True)
    return model.objects.all()


@pytest.mark.parametrize(
    "model", translator.get_registered_models(abstract=False), ids=lambda m: m._meta.model_name
)
def test_no_catalogue_row_lacks_its_russian_text(library, model):
    missing = []
    for field in translator.get_options_for_model(model).fields:
        for row in catalogue_rows(model):
            english, russian = getattr(row, f"{field}_en"), getattr(row, f"{field}_ru")
            if english and not russian:
                missing.append(f"{model._meta.model_name} {row.pk} {field}")
    assert not missing, missing


def test_russian_step_lists_match_the_english_ones(library):
    for technique in Technique.objects.all():
        assert len(technique.steps_ru) == len(technique.steps_en), technique.slug
        assert set(technique.alias_notes_ru or {}) <= set(technique.aliases_ru), technique.slug


def test_every_registered_model_belongs_to_the_app():
    for model in translator.get_registered_models(abstract=False):
        assert apps.get_app_config("routines").get_model(model.__name__) is model


def test_a_copy_of_a_ready_made_routine_keeps_its_texts_in_both_languages(library, user):
    from routines.models import Routine

    ready_made = Routine.objects.get(slug="home-spinal-11-step", owner__isnull=True)
    copy = ready_made.copy_for(user)  # made in English

    assert copy.name_ru == ready_made.name_ru
    first, original = copy.steps.order_by("position")[0], ready_made.steps.order_by("position")[0]
    assert first.note_ru == original.note_ru and first.note_en == original.note_en
