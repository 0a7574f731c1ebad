"""After-care on the session summary fits the steps actually done (brief section 7.7).

Sessions are run through the session page (advance when a step's time is up, skip), and the
summary is read through HTTP.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from routines.models import PrepItem, Routine, SessionRun
from routines.safety import check
from routines.sessions.plan import build_plan
from tests.routine_helpers import add_step

pytestmark = pytest.mark.usefixtures("library")

CLASSIC = [("light-stroking", "lumbar"), ("palm-rubbing", "lumbar"), ("light-stroking", "lumbar")]
CUPPING = [
    ("light-stroking", "lumbar"),
    ("palm-rubbing", "lumbar"),
    ("cupping", "lumbar"),
    ("light-stroking", "lumbar"),
]
HONEY = [
    ("light-stroking", "lumbar"),
    ("kneading", "lumbar"),
    ("honey-massage", "lumbar"),
    ("light-stroking", "lumbar"),
]
HONEY_STEP = 2


def text(slug: str) -> str:
    return PrepItem.objects.get(slug=slug).text


def started(user, steps) -> SessionRun:
    routine = Routine.objects.create(owner=user, name="After-care test")
    for technique, zone in steps:
        add_step(routine, technique, zone, intensity=1)
    ordered = list(routine.ordered_steps())
    plan = build_plan(ordered, check(ordered))
    return SessionRun.objects.start(user, routine.name, plan, timezone.now(), routine=routine)


def step(client, run: SessionRun, action: str) -> None:
    """One action on the step the session is on; `advance` once the step's time is up."""
    run.refresh_from_db()
    if action == "advance":
        SessionRun.objects.filter(pk=run.pk).update(
            step_started_at=run.step_started_at - dt.timedelta(seconds=run.step_seconds() + 1)
        )
    response = client.post(
        reverse("routines:session-step", args=[run.pk]),
        {"action": action, "from_index": str(run.current_index)},
    )
    assert response.status_code == 302


def run_through(client, run: SessionRun, skip=()) -> str:
    """On to the end (the closing rest included), skipping the given steps; the summary."""
    run.refresh_from_db()
    while run.is_live:
        step(client, run, "skip" if run.current_index in skip else "advance")
        run.refresh_from_db()
    return client.get(reverse("routines:session-summary", args=[run.pk])).content.decode()


def test_a_plain_classic_session_has_no_honey_or_cupping_aftercare(client_logged_in, user):
    html = run_through(client_logged_in, started(user, CLASSIC))

    assert text("after-rest") in html
    assert text("after-wipe-shower") in html
    for slug in ["after-honey-wrap", "after-cupping-marks", "after-clean-devices"]:
        assert text(slug) not in html


def test_a_cupping_session_lists_the_marks_and_cleaning_the_jar(client_logged_in, user):
    html = run_through(client_logged_in, started(user, CUPPING))

    assert text("after-cupping-marks") in html
    assert text("after-clean-devices") in html
    assert text("after-honey-wrap") not in html


def test_a_session_whose_honey_step_was_skipped_has_no_honey_wrap(client_logged_in, user):
    html = run_through(client_logged_in, started(user, HONEY), skip={HONEY_STEP})

    assert text("after-honey-wrap") not in html
    assert text("after-rest") in html


def test_a_session_whose_honey_step_was_done_has_the_honey_wrap(client_logged_in, user):
    html = run_through(client_logged_in, started(user, HONEY))

    assert text("after-honey-wrap") in html


def test_a_session_stopped_during_the_honey_step_keeps_the_honey_wrap(client_logged_in, user):
    run = started(user, HONEY)
    for _ in range(HONEY_STEP):
        step(client_logged_in, run, "advance")
    step(client_logged_in, run, "stop")

    html = client_logged_in.get(reverse("routines:session-summary", args=[run.pk])).content
    assert text("after-honey-wrap") in html.decode()


def test_a_skipped_step_does_not_count_once_the_session_went_back_and_did_it(
    client_logged_in, user
):
    run = started(user, HONEY)
    for _ in range(HONEY_STEP):
        step(client_logged_in, run, "advance")
    step(client_logged_in, run, "skip")
    step(client_logged_in, run, "back")

    html = run_through(client_logged_in, run)

    assert text("after-honey-wrap") in html


@pytest.mark.parametrize("rounds", [1, 10])
def test_the_summary_needs_the_same_queries_however_many_steps_were_done(
    client_logged_in, user, django_assert_max_num_queries, rounds
):
    run = started(user, CUPPING[:-1] * rounds + CUPPING[-1:])
    run_through(client_logged_in, run)

    with django_assert_max_num_queries(9):
        response = client_logged_in.get(reverse("routines:session-summary", args=[run.pk]))
    assert text("after-cupping-marks") in response.content.decode()
