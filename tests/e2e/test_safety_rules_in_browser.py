"""Issue 9's safety rules in a real browser: the heart cap from the builder's fix to the running
step, "It hurts" under the jar (mild pain may be borne, severe pain stops), and a declared fever
that moves a course by itself."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from routines.courses import planner
from routines.models import Contraindication, Intensity, Routine, SessionRun, ZoneRule
from routines.safety import Person
from tests.e2e.conftest import log_in
from tests.factories import DeclaredConditionFactory, ScreeningFactory
from tests.routine_helpers import add_step

MMSS = re.compile(r"^(\d\d):(\d\d)$")
RUN_URL = re.compile(r"/me/sessions/(\d+)/$")
COURSE_NAME = "Calm course"


@pytest.fixture
def live(page, library_live, user):
    log_in(page, library_live, user)
    return library_live


# --- Helpers -----------------------------------------------------------------------------------


def heart_routine(user) -> tuple[Routine, object]:
    """Stroking, palm rubbing over the heart at moderate (too strong there), stroking."""
    routine = Routine.objects.create(owner=user, name="Heart check")
    add_step(routine, "light-stroking", "whole-back")
    heart = add_step(routine, "palm-rubbing", "heart-projection", intensity=Intensity.MODERATE)
    add_step(routine, "light-stroking", "whole-back")
    return routine, heart


def cupping_routine(user) -> Routine:
    """Stroking, rubbing, then the jar on the lower back, and stroking to close."""
    routine = Routine.objects.create(owner=user, name="Jar evening")
    add_step(routine, "light-stroking", "whole-back")
    add_step(routine, "palm-rubbing", "lumbar")
    add_step(routine, "cupping", "lumbar")
    add_step(routine, "light-stroking", "whole-back")
    return routine


def start_from_builder(page, live, routine) -> SessionRun:
    """Press the builder's start, pass the same-day check, and land on the running session."""
    page.goto(live + reverse("routines:builder", args=[routine.pk]))
    page.get_by_role("button", name="Start session", exact=True).click()
    page.wait_for_url(re.compile(r"/me/routines/\d+/start/$"))
    page.get_by_role("button", name="Start the session").click()
    page.wait_for_url(RUN_URL)
    expect(page.locator("#session")).to_be_visible()
    return SessionRun.objects.get(pk=RUN_URL.search(page.url).group(1))


def press_next_step(page) -> None:
    session = page.locator("#session")
    index = int(session.get_attribute("data-index"))
    page.get_by_role("button", name="Next step").click()
    expect(session).to_have_attribute("data-index", str(index + 1))


def go_to_step(page, number: int, technique: str) -> None:
    """Press "Next step" until step `number` (1-based) shows, and check it is `technique`."""
    while int(page.locator("#session").get_attribute("data-index")) < number - 1:
        press_next_step(page)
    expect(page.locator(".progress-text")).to_contain_text(f"Step {number} of")
    expect(page.locator("#step-heading")).to_contain_text(technique)


def open_it_hurts(page):
    hurts = page.locator("details.hurts")
    hurts.get_by_text("It hurts", exact=True).click()
    expect(hurts.locator(".hurts-body")).to_be_visible()
    return hurts


def seconds_shown(page) -> int:
    text = page.get_by_role("timer").locator("[data-countdown]").inner_text().strip()
    minutes, seconds = MMSS.match(text).groups()
    return int(minutes) * 60 + int(seconds)


def make_course(user, start: dt.date):
    routine = Routine.objects.get(slug="relaxing-20-minutes", owner=None)
    sessions = planner.plan_course(
        routine, Person(), total_sessions=10, rhythm="every_other_day", start_date=start
    )
    return planner.create_course(
        user, routine, sessions, name=COURSE_NAME, rhythm="every_other_day"
    )


def long_day(day: dt.date) -> str:
    """A date as the dashboard and the screening message write it: "Friday 27 November"."""
    return f"{day:%A} {day.day} {day:%B}"


# --- 1. The heart cap, from the builder to the running step ------------------------------------


def test_the_heart_step_lowered_in_the_builder_runs_gentle_with_its_warning(page, live, user):
    routine, heart = heart_routine(user)
    too_strong = ZoneRule.objects.get(code="heart-no-intense").message
    light_only = ZoneRule.objects.get(code="heart-light-mode").message

    page.goto(live + reverse("routines:builder", args=[routine.pk]))
    step = page.locator(f"#step-{heart.pk}")
    expect(step.locator(".finding-forbidden")).to_contain_text(too_strong)
    expect(page.get_by_role("button", name="Start session", exact=True)).to_have_count(0)

    step.get_by_role("button", name="Lower this step to gentle").click()

    expect(step.locator(".finding-forbidden")).to_have_count(0)
    expect(step.locator(".step-line")).to_contain_text("gentle")
    expect(page.get_by_role("button", name="Start session", exact=True)).to_be_visible()
    heart.refresh_from_db()
    assert heart.intensity == Intensity.GENTLE

    run = start_from_builder(page, live, routine)
    go_to_step(page, 2, "Palm rubbing")

    session = page.locator("#session")
    expect(session.locator(".step-facts dt:text-is('Intensity') + dd")).to_have_text("Gentle")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(light_only)
    expect(alert).to_be_visible()
    expect(session).to_have_attribute("data-announce", re.compile(r", gentle\."))
    expect(session).not_to_have_attribute("data-announce", re.compile("moderate", re.I))
    expect(session).not_to_contain_text(re.compile("moderate", re.I))
    run.refresh_from_db()
    assert run.current_step["intensity"] == Intensity.GENTLE


# --- 2. "It hurts" under the jar ---------------------------------------------------------------


def test_mild_pain_under_the_jar_goes_on_and_is_in_the_summary(page, live, user):
    run = start_from_builder(page, live, cupping_routine(user))
    go_to_step(page, 3, "Cupping")

    hurts = open_it_hurts(page)
    expect(hurts).to_contain_text("If it becomes severe, stop.")
    for label in ("Only mild: go on", "Lower the intensity", "Stop the session"):
        expect(hurts.get_by_role("button", name=label)).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith("/step/")) as answer:
        hurts.get_by_role("button", name="Only mild: go on").click()
    assert answer.value.ok
    # The swapped-in step closes "It hurts" again: the checks below read the answer's page.
    expect(hurts).not_to_have_attribute("open", "")

    session = page.locator("#session")
    expect(session).to_have_attribute("data-index", "2")
    expect(session).to_have_attribute("data-state", "running")
    expect(page.locator("#step-heading")).to_contain_text("Cupping")
    first = seconds_shown(page)
    page.wait_for_timeout(2200)
    assert seconds_shown(page) <= first - 2
    run.refresh_from_db()
    assert run.is_live and run.current_index == 2
    assert run.events.filter(kind="mild_pain").count() == 1

    page.locator("details.session-stop").get_by_text("End the session now").click()
    page.get_by_role("button", name="Yes, end the session").click()
    page.wait_for_url(re.compile(r"/summary/$"))
    row = page.locator("table.timeline tr.timeline-mild_pain")
    expect(row).to_contain_text("Mild pain under the jar, went on")
    expect(row).to_contain_text("3. Cupping")


def test_stopping_for_pain_under_the_jar_ends_the_session_because_it_hurt(page, live, user):
    run = start_from_builder(page, live, cupping_routine(user))
    go_to_step(page, 3, "Cupping")

    hurts = open_it_hurts(page)
    hurts.get_by_role("button", name="Stop the session").click()

    page.wait_for_url(re.compile(r"/summary/$"))
    expect(page.locator(".verdict")).to_contain_text("You stopped this session because it hurt.")
    run.refresh_from_db()
    assert run.state == SessionRun.State.STOPPED
    assert run.stop_reason == SessionRun.StopReason.PAIN


def test_it_hurts_offers_no_mild_pain_choice_off_the_jar(page, live, user):
    start_from_builder(page, live, cupping_routine(user))
    go_to_step(page, 2, "Palm rubbing")

    hurts = open_it_hurts(page)

    expect(hurts.get_by_role("button", name="Lower the intensity")).to_be_visible()
    expect(hurts.get_by_role("button", name="Stop the session")).to_be_visible()
    expect(hurts.get_by_role("button", name="Only mild: go on")).to_have_count(0)
    expect(hurts).not_to_contain_text("becomes severe")


# --- 3. A declared fever moves the course ------------------------------------------------------


def test_a_fever_with_an_end_date_moves_the_course_with_no_extra_click(page, live, user):
    today = timezone.localdate()
    course = make_course(user, today)
    until = today + dt.timedelta(days=3)
    again = today + dt.timedelta(days=4)

    page.goto(live + reverse("routines:screening"))
    page.get_by_role("checkbox", name=re.compile(r"^Fever\b")).check()
    page.get_by_label("Fever: expected to last until (optional)").fill(until.isoformat())
    page.get_by_role("button", name="Save my screening").click()

    expect(page.locator(".flash-info")).to_have_text(
        re.compile(f"“{COURSE_NAME}” now goes on from {long_day(again)}:")
    )
    first = course.sessions.get(index=1)
    assert first.planned_date == again

    page.goto(live + reverse("routines:dashboard"))
    card = page.locator(".course-card-item").filter(has_text=COURSE_NAME)
    expect(card).to_contain_text(f"Next: session 1 on {long_day(again)}.")
    expect(card.locator(".held-back")).to_contain_text(f"Postponed to {again.day} {again:%B %Y}:")
    expect(card.get_by_role("button", name=re.compile(r"^Start session 1\b"))).to_be_visible()
    expect(card).not_to_contain_text("waits")

    page.goto(live + course.get_absolute_url())
    expect(page.get_by_role("heading", name="Next: session 1")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("wait for now")
    expect(page.get_by_role("button", name="Postpone the course")).to_have_count(0)
    expect(page.get_by_role("button", name="Start session 1")).to_be_visible()


def test_a_fever_with_no_end_date_holds_session_1_back_everywhere(page, live, user):
    course = make_course(user, timezone.localdate())
    screening = ScreeningFactory(user=user)
    DeclaredConditionFactory(
        screening=screening, condition=Contraindication.objects.get(slug="fever"), until=None
    )

    page.goto(live + reverse("routines:dashboard"))
    card = page.locator(".course-card-item").filter(has_text=COURSE_NAME)
    expect(card.get_by_role("status")).to_contain_text("session 1 waits")
    expect(card.get_by_role("button", name=re.compile(r"^Start session"))).to_have_count(0)

    page.goto(live + course.get_absolute_url())
    expect(page.get_by_role("heading", name="Next: session 1")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Start session"))).to_have_count(0)
