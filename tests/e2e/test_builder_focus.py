"""Keyboard focus follows the change after the builder swaps its steps in place."""

from playwright.sync_api import expect

from routines.models import Routine
from tests.e2e.conftest import log_in


def test_moving_a_step_by_keyboard_keeps_focus_on_the_moved_step(page, library_live, user):
    routine = Routine.objects.ready_made().get(slug="lumbar-protocol").copy_for(user)
    second = routine.steps.get(position=2)
    log_in(page, library_live, user)
    page.goto(f"{library_live}/me/routines/{routine.pk}/")
    page.evaluate("window.sameDocument = true")

    move_down = page.locator(f"#step-{second.pk}").get_by_role("button", name="Move down")
    move_down.focus()
    page.keyboard.press("Enter")

    expect(page.locator(f"#step-{second.pk}")).to_be_focused()
    assert page.evaluate("window.sameDocument === true"), "the page reloaded instead of swapping"
    second.refresh_from_db()
    assert second.position == 3


def test_a_refused_move_puts_focus_on_the_message(page, library_live, user):
    routine = Routine.objects.ready_made().get(slug="lumbar-protocol").copy_for(user)
    first = routine.steps.get(position=1)
    log_in(page, library_live, user)
    page.goto(f"{library_live}/me/routines/{routine.pk}/")

    position = page.locator(f"#move-to-{first.pk}")
    # As on a page gone stale: the browser's own range check no longer knows the step count.
    position.evaluate("input => input.removeAttribute('max')")
    position.fill("99")
    position.press("Enter")

    expect(page.locator("#builder-problem")).to_be_focused()
