"""Pain during a session: ease off or stop; only under the jar may a mild ache be borne (002).

Brief 1.7 and 3.4: with cupping, mild pain is tolerated and the session stops when it becomes
severe. Every other step offers only "lower" and "stop".
"""

import pytest
from django.urls import reverse

from routines.models import Routine, RunEvent, SessionRun
from tests.routine_helpers import add_step

MILD = "Only mild: go on"


@pytest.fixture
def cupping_run(client_logged_in, library, user):
    routine = Routine.objects.create(owner=user, name="Jar")
    add_step(routine, "light-stroking", "whole-back")
    add_step(routine, "palm-rubbing", "lumbar")
    add_step(routine, "cupping", "lumbar")
    add_step(routine, "light-stroking", "whole-back")
    response = client_logged_in.post(
        reverse("routines:session-start", args=[routine.pk]), {"check": "1"}
    )
    assert response.status_code == 302
    run = SessionRun.objects.get(routine=routine)
    for index in (0, 1):
        act(client_logged_in, run, "skip", index)
    run.refresh_from_db()
    assert run.current_step["technique_slug"] == "cupping"
    return run


def act(client, run, action, index):
    return client.post(
        reverse("routines:session-step", args=[run.pk]), {"action": action, "from_index": index}
    )


def page(client, run):
    return client.get(reverse("routines:session-run", args=[run.pk])).content.decode()


def test_a_cupping_step_offers_mild_pain_beside_lower_and_stop(client_logged_in, cupping_run):
    html = page(client_logged_in, cupping_run)

    assert MILD in html
    assert "Lower the intensity" in html and "Stop the session" in html
    assert "If it becomes severe, stop." in html
    assert "002_8d9f8d67dee089ad.txt" in html


def test_mild_pain_under_the_jar_is_logged_and_the_step_goes_on(client_logged_in, cupping_run):
    before = cupping_run.current_index

    response = act(client_logged_in, cupping_run, "mild-pain", before)

    assert response.status_code == 302
    cupping_run.refresh_from_db()
    assert cupping_run.is_live and cupping_run.current_index == before
    event = cupping_run.events.get(kind=RunEvent.Kind.MILD_PAIN)
    assert event.step_index == before
    summary_line = "Mild pain under the jar, went on"
    act(client_logged_in, cupping_run, "stop", before)
    summary = client_logged_in.get(reverse("routines:session-summary", args=[cupping_run.pk]))
    assert summary_line in summary.content.decode()


def test_severe_pain_under_the_jar_stops_the_session(client_logged_in, cupping_run):
    response = act(client_logged_in, cupping_run, "stop-pain", cupping_run.current_index)

    assert response.status_code == 302
    cupping_run.refresh_from_db()
    assert cupping_run.state == SessionRun.State.STOPPED
    assert cupping_run.stop_reason == SessionRun.StopReason.PAIN


def test_other_steps_offer_no_mild_pain_and_refuse_a_crafted_one(client_logged_in, cupping_run):
    act(client_logged_in, cupping_run, "skip", cupping_run.current_index)
    cupping_run.refresh_from_db()
    assert cupping_run.current_step["technique_slug"] == "light-stroking"
    assert MILD not in page(client_logged_in, cupping_run)

    response = act(client_logged_in, cupping_run, "mild-pain", cupping_run.current_index)

    assert response.status_code == 409
    assert not cupping_run.events.filter(kind=RunEvent.Kind.MILD_PAIN).exists()
