"""Ending a session asks once more, so a stray tap does not end it."""

from playwright.sync_api import expect

from routines.models import SessionRun
from tests.e2e.conftest import log_in


def test_ending_the_session_needs_a_second_tap(page, library_live, user):
    from django.utils import timezone

    plan = [
        {
            "kind": "step",
            "technique": "Light stroking",
            "zone": "Lower back",
            "duration_s": 60,
            "warnings": [],
            "how_to": [],
            "position": 1,
        },
        {
            "kind": "rest",
            "technique": "Rest",
            "duration_s": 180,
            "warnings": [],
            "how_to": [],
            "position": 2,
        },
    ]
    run = SessionRun.objects.start(user, "Evening back", plan, timezone.now())
    log_in(page, library_live, user)
    page.goto(f"{library_live}/me/sessions/{run.pk}/")

    page.get_by_text("End the session now").click()
    run.refresh_from_db()
    assert run.is_live
    page.get_by_role("button", name="Yes, end the session").click()

    expect(page).to_have_url(f"{library_live}/me/sessions/{run.pk}/summary/")
    run.refresh_from_db()
    assert run.state == SessionRun.State.STOPPED
