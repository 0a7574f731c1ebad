"""The library in a real browser: live filters, a technique page, the body map by keyboard."""

import re

from playwright.sync_api import expect


def test_filters_update_the_list_live_and_the_url_keeps_them(page, library_live):
    page.goto(f"{library_live}/techniques/")
    results = page.locator("#results")
    expect(results.locator("h2")).to_have_count(60)

    page.get_by_label("Category").select_option("percussion")
    expect(page).to_have_url(re.compile(r"category=percussion"))
    expect(results.locator("h2")).to_have_count(6)

    page.get_by_label("Search by name or alias").fill("drum")
    expect(page).to_have_url(re.compile(r"q=drum"))
    expect(results.locator("h2")).to_have_count(1)
    expect(results).to_contain_text("drumming")


def test_a_garbled_alias_finds_the_technique_and_its_page_opens(page, library_live):
    page.goto(f"{library_live}/techniques/")
    page.get_by_label("Search by name or alias").fill("effleurage")
    link = page.locator("#results").get_by_role("link", name="Light stroking")
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Light stroking")
    expect(page.get_by_role("heading", name="How to do it")).to_be_visible()


def test_the_technique_page_shows_where_tapping_is_forbidden(page, library_live):
    page.goto(f"{library_live}/techniques/tapping/")
    forbidden = page.locator(".finding-forbidden").filter(has_text="kidney")
    expect(forbidden.first).to_be_visible()


def test_the_body_map_works_by_keyboard(page, library_live):
    page.goto(f"{library_live}/zones/")
    kidney = page.locator("a#zone-kidney-area")
    expect(kidney).to_have_attribute("aria-label", re.compile("restricted"))
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == (
            "zone-kidney-area"
        ):
            break
    else:
        raise AssertionError("Tab never reached the kidney area on the map")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/zones/kidney-area/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Kidney", re.I))


def test_the_body_map_marks_the_spine_as_never_a_target(page, library_live):
    page.goto(f"{library_live}/zones/")
    spine = page.locator("a#zone-spine")
    expect(spine).to_have_attribute("aria-label", re.compile("never a target"))
    expect(spine).to_have_class(re.compile("restricted"))
