"""A new person's first routine in a real browser: sign up, screen, copy, a refused step fixed."""

import re

from playwright.sync_api import expect

from routines.models import RoutineStep

KIDNEY_REASON = "over the kidneys can hurt them"
BLOCKED = "cannot be started yet"


def test_a_new_person_builds_a_safe_routine(page, library_live):
    page.goto(library_live + "/accounts/signup/")
    page.get_by_label("Username").fill("dana")
    page.locator("#id_password1").fill("a quiet meadow 42")
    page.locator("#id_password2").fill("a quiet meadow 42")
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your health screening")
    page.get_by_label("Allergy to a massage product").check()
    page.get_by_role("button", name="Save my screening").click()
    expect(page.get_by_role("heading", name="What your answers mean")).to_be_visible()

    page.get_by_role("link", name="Ready-made").click()
    page.locator("a[href$='/ready-made/lumbar-protocol/']").click()
    page.get_by_role("button", name="Copy into my routines").click()
    expect(page.get_by_role("heading", name="Safety check")).to_be_visible()
    expect(page.get_by_text(BLOCKED)).to_have_count(0)

    # htmx swaps the steps in place: a marker set on this page survives only without a reload.
    page.evaluate("window.sameDocument = true")
    add_form = page.locator("form[action$='/steps/add/']")
    add_form.locator("select[name=technique]").select_option("tapping")
    add_form.locator("select[name=zone]").select_option("kidney-area")
    add_form.locator("input[name=duration_s]").fill("30")
    add_form.locator("select[name=intensity]").select_option("1")
    add_form.get_by_role("button", name="Add step").click()

    tapping = page.locator("li.step").last
    expect(tapping).to_contain_text(KIDNEY_REASON)
    expect(tapping).to_contain_text("forbidden")
    expect(page.get_by_text(BLOCKED)).to_be_visible()
    assert page.evaluate("window.sameDocument") is True

    tapping.get_by_role("link", name=re.compile(r"^Edit")).click()
    tapping.locator("select[name=zone]").select_option("lumbar")
    tapping.get_by_role("button", name="Save step").click()

    expect(tapping).not_to_contain_text(KIDNEY_REASON)
    expect(page.get_by_text(BLOCKED)).to_have_count(0)
    expect(page.get_by_role("button", name="Start session")).to_be_visible()
    assert page.evaluate("window.sameDocument") is True

    page.reload()
    expect(page.locator("li.step").last).to_contain_text("Tapping")
    step = RoutineStep.objects.get(
        routine__owner__username="dana", technique__slug="tapping", duration_s=30
    )
    assert step.zone.slug == "lumbar"
