"""The strict content security policy breaks nothing: every listed page, logged out and logged in,
loads in Chromium without a CSP violation, a console error or a script error; the running session
counts down and htmx swaps a step action in under the policy; the admin works under it too."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from routines.models import Technique, ZoneRule
from tests.e2e.conftest import log_in
from tests.pages import logged_in_urls, public_urls

# Runs before any script of each page: records every violation the browser reports, and turns
# on the session page's tempo pulse, whose beat session.js sets through CSSOM (which CSP allows,
# unlike a style= attribute).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || "?"}:${event.lineNumber} ${event.sample || ""}`
  );
});
try { window.localStorage.setItem("backwise.session.pulse", "1"); } catch (error) {}
"""
SESSION_RUN = re.compile(r"^/me/sessions/\d+/$")


class Watch:
    """Collects what goes wrong on a page: CSP violations, console errors, uncaught errors."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.note(f"script error: {error}"))

    def note(self, problem: str) -> None:
        self.problems.append(f"{self.page.url}: {problem}")

    def console(self, message) -> None:
        if message.type == "error":
            self.note(f"console error: {message.text}")

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None, f"{url} gave no response"
        assert response.ok, f"{url} answered {response.status}"
        assert "content-security-policy" in response.headers, f"{url} came without a policy"
        self.page.wait_for_load_state("load")
        self.collect(url)

    def collect(self, where: str) -> None:
        for violation in self.page.evaluate("window.__violations.splice(0)"):
            self.problems.append(f"{where}: CSP violation: {violation}")


def exercise_running_session(page, watch: Watch, url: str) -> None:
    """The countdown runs for a moment, then Pause goes through htmx without a page load."""
    digits = page.locator("[data-countdown]")
    expect(page.locator("#session[data-state='running']")).to_be_visible()
    expect(page.locator("[data-tempo-pulse]")).to_be_visible()  # its beat is set through CSSOM
    before = digits.inner_text()
    page.wait_for_timeout(1500)
    assert digits.inner_text() != before, "the countdown did not move"
    page.evaluate("window.__sameDocument = true")
    with page.expect_request(lambda r: r.headers.get("hx-request") == "true") as request:
        page.locator("[data-action='pause']").click()
    assert request.value.method == "POST"
    expect(page.locator("[data-action='resume']")).to_be_visible()
    expect(page.locator("#session")).to_have_attribute("data-state", "paused")
    assert page.evaluate("window.__sameDocument === true"), "Pause reloaded the page"
    watch.collect(url + " (after Pause)")


def test_no_page_breaks_the_content_security_policy(page, library_live, user):
    watch = Watch(page)
    for url in public_urls():
        watch.visit(library_live + url)

    log_in(page, library_live, user)
    sessions_run = 0
    for url in logged_in_urls(user):
        watch.visit(library_live + url)
        if SESSION_RUN.match(url):
            exercise_running_session(page, watch, url)
            sessions_run += 1

    assert sessions_run == 1, "tests/pages.py lists no running session page"
    assert not watch.problems, "Under the policy:\n" + "\n".join(watch.problems)


def test_the_watch_sees_a_violation(page, library_live):
    """Guards the test above: an inline style is refused, reported and collected."""
    watch = Watch(page)
    watch.visit(library_live + "/")
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_timeout(100)
    watch.collect("/")
    assert any("style-src" in problem for problem in watch.problems), watch.problems


def test_the_session_page_may_keep_the_screen_on_and_nothing_more(page, library_live, user):
    """Chromium applies the Permissions-Policy: of the features it names, the session page may use
    only the wake lock and its sounds. (Chromium leaves some named features, such as Bluetooth on
    Linux, switched off anyway; django-permissions-policy refuses a name no browser knows.)"""
    log_in(page, library_live, user)
    url = next(u for u in logged_in_urls(user) if SESSION_RUN.match(u))
    page.goto(library_live + url)
    policy = page.evaluate(
        """(names) => ({
          known: document.featurePolicy.features(),
          allowed: names.filter((name) => document.featurePolicy.allowsFeature(name)),
        })""",
        sorted(settings.PERMISSIONS_POLICY),
    )
    assert policy["allowed"] == ["autoplay", "screen-wake-lock"]
    denied_here = {"camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"}
    assert denied_here | {"autoplay", "screen-wake-lock"} <= set(policy["known"])


@pytest.fixture
def editor(django_user_model, library_live):
    return django_user_model.objects.create_superuser("editor", "e@example.org", "pw-123-xyz")


def test_the_admin_works_under_the_policy(page, library_live, editor):
    """Django's admin loads its scripts and styles from static files: no exemption is needed.
    Its scripts run: the slug fills in from the name, the two-box picker and the
    autocomplete open."""
    watch = Watch(page)
    watch.visit(library_live + "/admin/login/")
    log_in(page, library_live, editor)
    technique = f"/admin/routines/technique/{Technique.objects.first().pk}/change/"
    zone_rule = f"/admin/routines/zonerule/{ZoneRule.objects.first().pk}/change/"
    for path in ["/admin/", "/admin/routines/technique/", "/admin/routines/source/"]:
        watch.visit(library_live + path)

    watch.visit(library_live + "/admin/routines/techniquecategory/add/")
    page.locator("#id_name_en").press_sequentially("Deep pressing")
    expect(page.locator("#id_slug")).to_have_value("deep-pressing")
    watch.collect("category add form")

    watch.visit(library_live + technique)
    expect(page.locator("#id_sources_from")).to_be_visible()
    watch.collect("technique's two-box picker")

    watch.visit(library_live + zone_rule)
    page.locator(".select2-selection").first.click()
    expect(page.locator(".select2-results__option").first).to_be_visible()
    watch.collect("zone rule autocomplete")

    assert not watch.problems, "The admin under the policy:\n" + "\n".join(watch.problems)
