"""A course end to end in a real browser: plan it from a ready-made routine, pass the same-day
check, run session 1 on the session page, and see it counted on the dashboard and drawn on the
course chart."""

import re

from playwright.sync_api import expect

from routines.models import Course, Routine
from tests.e2e.conftest import log_in


def test_a_course_from_a_ready_made_routine_counts_its_first_session(page, library_live, user):
    live = library_live
    log_in(page, live, user)
    routine = Routine.objects.get(slug="lumbar-protocol")

    page.goto(f"{live}/courses/new/?routine={routine.pk}")
    page.get_by_label("Number of sessions").fill("12")
    page.get_by_label("Daily").check()
    page.get_by_role("button", name="Show the plan").click()
    expect(page.locator("#preview")).to_contain_text("Session 12 ·")
    expect(page.locator("#preview")).to_contain_text("Left out:")
    page.get_by_role("button", name="Create this course").click()
    page.wait_for_url(re.compile(r"/courses/\d+/$"))

    course = Course.objects.get(owner=user)
    assert course.routine.based_on == routine
    first = course.sessions.get(index=1)
    # Three seconds a step (the rest included), so the whole session runs in the test.
    first.plan = [{**step, "duration_s": 3} for step in first.plan]
    first.save(update_fields=["plan"])

    page.get_by_role("button", name="Start session 1").click()
    # The same-day check comes first, as before any routine.
    page.wait_for_url(re.compile(r"/courses/\d+/sessions/1/start/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("session 1 of 12")
    expect(page.get_by_label("I have a raised temperature today")).not_to_be_checked()
    page.get_by_label("How much does the back hurt now? (optional, 0-10)").fill("3")
    page.get_by_role("button", name="Start the session").click()
    page.wait_for_url(re.compile(r"/me/sessions/\d+/$"))
    expect(page.locator("#session")).to_be_visible()
    page.wait_for_url(re.compile(r"/summary/$"), timeout=30000)

    page.goto(f"{live}/dashboard/")
    expect(page.locator(".course-progress").first).to_contain_text("1 of 12")
    expect(page.get_by_role("button", name=re.compile("Start session 2"))).to_be_visible()

    page.goto(f"{live}/courses/{course.pk}/")
    chart = page.get_by_role("img", name=re.compile("Pain before and after"))
    expect(chart).to_be_visible()
    expect(chart.locator(".series-minutes_done path")).to_have_count(1)
    expect(chart.locator(".series-pain_before circle")).to_have_count(1)
    expect(page.locator("#session-1")).to_contain_text("done")
