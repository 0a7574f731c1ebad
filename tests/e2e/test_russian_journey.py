"""A Russian reader's journey in a real browser.

They open the home page in English and switch to Russian with the header switcher; search the
technique list for «растирание» and get Russian names only; log in and, in the builder under
/ru/, add tapping over the kidneys and read the engine's refusal in Russian; turn the step into
light stroking (allowed there with a caution), pass the same-day check and see the running step
name its technique and its kidney warning in Russian.

Interface labels are being translated while this test is written, so nothing here is found by
its words: elements are picked by id, name, structure or address, and every expected text is a
catalogue text read from its Russian database column.
"""

import re
from urllib.parse import quote

from django.utils import translation
from playwright.sync_api import expect

from routines.models import BodyZone, Routine, RoutineStep, Technique, ZoneRule
from tests.e2e.conftest import log_in

SEARCH = "растирание"
ROUTINE_NAME = "Вечер для поясницы"
# routines/content/zone_rules.toml: what fires for each kidney-area step of this journey.
PERCUSSION_OVER_KIDNEYS = "kidney-no-percussion"  # forbidden: category percussion
STROKING_OVER_KIDNEYS = "kidney-stroking-light"  # caution: category stroking


# --- Helpers -----------------------------------------------------------------------------------


def russian_address(live: str, path: str = "") -> re.Pattern:
    """The whole address of a page under /ru/; `path` is a regular expression after it."""
    return re.compile("^" + re.escape(f"{live}/ru/") + path + r"(\?.*)?$")


def expect_russian_page(page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "ru")


def switch_language(page, code: str) -> None:
    """Choose a language in the header switcher and send its form."""
    switcher = page.locator("form.language-switcher")
    switcher.locator("select#language-choice[name=language]").select_option(code)
    switcher.locator("button[type=submit]").click()


def search_results(page, words: str):
    """Type into the technique list's search field; the names of the techniques listed."""
    page.locator("form[role=search] input[name=q]").fill(words)
    return page.locator("#results li.card h2 a")


def create_routine(page, live: str, name: str) -> Routine:
    """Create an empty routine from the list of one's routines; the builder opens."""
    page.goto(f"{live}/me/routines/")  # the English address: the chosen language leads on
    expect(page).to_have_url(russian_address(live, r"me/routines/"))
    create = page.locator("form[action$='/me/routines/new/']")
    create.locator("input[name=name]").fill(name)
    create.locator("button[type=submit]").click()
    expect(page).to_have_url(russian_address(live, r"me/routines/\d+/"))
    pk = re.search(r"/me/routines/(\d+)/", page.url).group(1)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    return Routine.objects.get(pk=pk)


def fill_step(form, technique: str, zone: str, seconds: int = 60, intensity: str = "1") -> None:
    """Fill a step form by its field names; the direction stays the technique's own."""
    form.locator("select[name=technique]").select_option(technique)
    form.locator("select[name=zone]").select_option(zone)
    form.locator("input[name=duration_s]").fill(str(seconds))
    form.locator("select[name=intensity]").select_option(intensity)
    form.locator("select[name=direction]").select_option("")


def add_step(page, technique: str, zone: str) -> None:
    add_form = page.locator("#steps form[action$='/steps/add/']")
    fill_step(add_form, technique, zone)
    add_form.locator("button[type=submit]").click()


def edit_step(page, step: RoutineStep, technique: str, zone: str) -> None:
    """Open the step's edit form in place (htmx), change it and save it."""
    item = page.locator(f"#step-{step.pk}")
    item.locator(f"a[href$='/steps/{step.pk}/edit/']").click()
    edit_form = item.locator(f"form[action$='/steps/{step.pk}/edit/']")
    fill_step(edit_form, technique, zone)
    edit_form.locator("button[type=submit]").click()
    expect(edit_form).to_have_count(0)


def finding(scope, severity: str, message: str):
    """A safety finding of this severity ("forbidden", "caution") that carries `message`."""
    return scope.locator(f".finding-{severity}").filter(has_text=message)


def start_form(page):
    """The builder's start form; it is only there while the routine may start."""
    return page.locator("#steps form[action$='/start/']")


def start_session(page, live: str) -> None:
    """Start from the builder, answer the same-day check (nothing today) and land on the run."""
    start_form(page).locator("button[type=submit]").click()
    expect(page).to_have_url(russian_address(live, r"me/routines/\d+/start/"))
    check = page.locator("form.day-check-form")
    for field in ("fever", "fresh_injury", "pain_on_movement"):
        expect(check.locator(f"input[name={field}]")).not_to_be_checked()
    check.locator("input[name=pain_before]").fill("3")
    check.locator("button[type=submit]").click()
    expect(page).to_have_url(russian_address(live, r"me/sessions/\d+/"))
    expect(page.locator("#session")).to_be_visible()


def russian_names_found_by(words: str) -> list[str]:
    """The Russian names the library's own search gives for `words`, in the list's order."""
    with translation.override("ru"):
        found = Technique.objects.for_list().matching(words)
        return list(found.values_list("name_ru", flat=True))


# --- The journey -------------------------------------------------------------------------------


def test_a_russian_reader_switches_searches_builds_and_runs_a_routine(page, library_live, user):
    live = library_live
    # 1. The home page in English, then the switcher.
    page.goto(f"{live}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    switch_language(page, "ru")
    expect(page).to_have_url(russian_address(live))
    expect_russian_page(page)

    # 2. The technique list, searched in Russian.
    page.locator("header a[href='/ru/techniques/']").click()
    expect(page).to_have_url(russian_address(live, "techniques/"))
    expected = russian_names_found_by(SEARCH)
    assert expected, f"the library finds nothing for {SEARCH!r}"
    names = search_results(page, SEARCH)
    expect(page).to_have_url(re.compile(re.escape(f"q={quote(SEARCH)}")))
    expect(names).to_have_text(expected)
    shown = set(names.all_inner_texts())
    assert shown <= set(Technique.objects.values_list("name_ru", flat=True))
    assert not shown & set(Technique.objects.values_list("name_en", flat=True))
    expect_russian_page(page)

    # 3. Logged in, the builder refuses tapping over the kidneys, in Russian.
    log_in(page, live, user)
    routine = create_routine(page, live, ROUTINE_NAME)
    expect_russian_page(page)
    page.evaluate("window.sameDocument = true")
    add_step(page, "tapping", "kidney-area")

    steps = page.locator("#steps li.step")
    expect(steps).to_have_count(1)
    step = RoutineStep.objects.get(routine=routine)
    refusal = ZoneRule.objects.get(code=PERCUSSION_OVER_KIDNEYS).message_ru
    tapping = page.locator(f"#step-{step.pk}")
    expect(tapping.locator(".step-name")).to_have_text(step.technique.name_ru)
    expect(finding(tapping, "forbidden", refusal)).to_be_visible()
    expect(start_form(page)).to_have_count(0)
    assert page.evaluate("window.sameDocument") is True, "adding the step reloaded the page"

    # 4. Light stroking over the kidneys instead: allowed, with its caution; then the session.
    edit_step(page, step, "light-stroking", "kidney-area")
    caution = ZoneRule.objects.get(code=STROKING_OVER_KIDNEYS).message_ru
    stroking = Technique.objects.get(slug="light-stroking").name_ru
    expect(tapping.locator(".finding-forbidden")).to_have_count(0)
    expect(tapping.locator(".step-name")).to_have_text(stroking)
    expect(finding(tapping, "caution", caution)).to_be_visible()
    expect(start_form(page)).to_have_count(1)

    start_session(page, live)
    expect_russian_page(page)
    session = page.locator("#session")
    expect(session).to_have_attribute("data-index", "0")
    expect(page.locator("#step-heading")).to_contain_text(stroking)
    english = Technique.objects.get(slug="light-stroking").name_en
    expect(page.locator("#step-heading")).not_to_contain_text(english)
    zone = BodyZone.objects.get(slug="kidney-area").name_ru
    expect(session.locator(".step-facts")).to_contain_text(zone)
    alert = session.locator(".step-alert[role=alert]")
    expect(finding(alert, "caution", caution)).to_be_visible()
    expect(session).not_to_contain_text(refusal)
