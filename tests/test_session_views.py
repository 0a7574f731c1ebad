"""The session pages through HTTP: the same-day check, the live run and its actions, the summary."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from routines.models import (
    BodyZone,
    Contraindication,
    Direction,
    Intensity,
    PrepItem,
    RunEvent,
    SessionRun,
    Technique,
    ZoneRule,
)
from tests.factories import (
    DeclaredConditionFactory,
    RoutineFactory,
    RoutineStepFactory,
    ScreeningFactory,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


def add_step(routine, technique, zone, position, **extra):
    return RoutineStepFactory(
        routine=routine,
        position=position,
        technique=Technique.objects.get(slug=technique),
        zone=BodyZone.objects.get(slug=zone),
        duration_s=extra.pop("duration_s", 60),
        intensity=extra.pop("intensity", Intensity.GENTLE),
        direction=extra.pop("direction", Direction.DOWN),
        **extra,
    )


@pytest.fixture
def routine(library, user):
    """Gentle stroking from the neck down: nothing in it rules out a session."""
    routine = RoutineFactory(owner=user, name="Quiet evening")
    add_step(routine, "light-stroking", "lumbar", 1)
    add_step(routine, "light-stroking", "kidney-area", 2)
    add_step(routine, "light-stroking", "lumbar", 3)
    return routine


@pytest.fixture
def forbidden_routine(library, user):
    routine = RoutineFactory(owner=user, name="Tapping the kidneys")
    add_step(routine, "light-stroking", "lumbar", 1)
    add_step(routine, "tapping", "kidney-area", 2)
    add_step(routine, "light-stroking", "lumbar", 3)
    return routine


def declare(user, slug):
    screening = ScreeningFactory(user=user)
    DeclaredConditionFactory(screening=screening, condition=Contraindication.objects.get(slug=slug))


def start_url(routine):
    return reverse("routines:session-start", args=[routine.pk])


def check(client, routine, **answers):
    return client.post(start_url(routine), {"check": "1", **answers})


@pytest.fixture
def run(routine, user):
    from routines.safety import check
    from routines.sessions.plan import build_plan

    plan = build_plan(list(routine.ordered_steps()), check(list(routine.ordered_steps())))
    return SessionRun.objects.start(user, routine.name, plan, timezone.now(), routine=routine)


def run_url(run):
    return reverse("routines:session-run", args=[run.pk])


def step_url(run):
    return reverse("routines:session-step", args=[run.pk])


def summary_url(run):
    return reverse("routines:session-summary", args=[run.pk])


def rewind(run, seconds):
    """Move the step's start into the past, as if `seconds` had gone by."""
    SessionRun.objects.filter(pk=run.pk).update(
        step_started_at=run.step_started_at - dt.timedelta(seconds=seconds)
    )
    run.refresh_from_db()


# --- Before the session ---------------------------------------------------------------------


def test_it_shows_the_pre_session_check(client_logged_in, routine):
    response = client_logged_in.get(start_url(routine))

    assert response.status_code == 200
    assert "Before you start: Quiet evening" in response.content.decode()
    assert PrepItem.objects.filter(phase="before", condition=None).first().text in (
        response.content.decode()
    )


def test_the_builders_start_button_lands_on_the_check_without_starting(client_logged_in, routine):
    response = client_logged_in.post(start_url(routine))

    assert response.status_code == 200
    assert not SessionRun.objects.exists()


def test_it_starts_a_run_and_redirects_to_it(client_logged_in, routine):
    prep = PrepItem.objects.filter(phase="before", condition=None).first()

    response = check(client_logged_in, routine, pain_before="2", prep=[prep.slug])

    run = SessionRun.objects.get()
    assert response.status_code == 302
    assert response.url == run_url(run)
    assert run.routine == routine
    assert run.pain_before == 2
    assert run.day_check["prep_done"] == [prep.slug]
    assert [s["kind"] for s in run.plan] == ["step", "step", "step", "rest"]
    assert list(run.events.values_list("kind", flat=True)) == [RunEvent.Kind.START]


def test_it_starts_with_a_client_redirect_for_htmx(client_logged_in, routine):
    response = client_logged_in.post(start_url(routine), {"check": "1"}, **HTMX)

    assert response.status_code == 200
    assert response["HX-Redirect"] == run_url(SessionRun.objects.get())


def test_another_user_gets_404_on_the_start(client, other_user, routine):
    client.force_login(other_user)

    response = check(client, routine)

    assert response.status_code == 404
    assert not SessionRun.objects.exists()


def test_it_requires_a_login(client, routine):
    response = client.get(start_url(routine))

    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_a_routine_with_a_forbidden_step_cannot_start(client_logged_in, forbidden_routine):
    response = check(client_logged_in, forbidden_routine)

    assert response.status_code == 409
    assert "No session today" in response.content.decode()
    assert not SessionRun.objects.exists()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("fever", "No massage with a raised temperature"),
        ("fresh_injury", "No massage over fresh wounds or injuries"),
        ("pain_on_movement", "Do not massage while the back hurts"),
    ],
)
def test_a_same_day_answer_postpones_with_the_rules_reason(
    client_logged_in, routine, answer, message
):
    response = check(client_logged_in, routine, **{answer: "on"})

    html = response.content.decode()
    assert response.status_code == 409
    assert message in html
    assert "002_8d9f8d67dee089ad.txt" in html
    assert not SessionRun.objects.exists()


def test_hypertension_with_systolic_170_means_no_session_today(client_logged_in, routine, user):
    declare(user, "hypertension")

    response = check(client_logged_in, routine, systolic="170")

    assert response.status_code == 409
    assert "Blood pressure 170 mmHg is above 160" in response.content.decode()
    assert not SessionRun.objects.exists()


def test_hypertension_with_systolic_140_may_start(client_logged_in, routine, user):
    declare(user, "hypertension")

    response = check(client_logged_in, routine, systolic="140")

    assert response.status_code == 302
    assert SessionRun.objects.get().day_check["systolic"] == 140


def test_the_blood_pressure_question_is_only_for_hypertension(client_logged_in, routine):
    response = client_logged_in.get(start_url(routine))

    assert 'name="systolic"' not in response.content.decode()


def test_a_condition_prep_item_shows_only_to_people_who_declared_it(
    client_logged_in, routine, user
):
    item = PrepItem.objects.get(slug="recipient-bp-before")
    assert item.text not in client_logged_in.get(start_url(routine)).content.decode()

    declare(user, "hypertension")

    assert item.text in client_logged_in.get(start_url(routine)).content.decode()


@pytest.mark.parametrize("pain", ["11", "-1", "lots"])
def test_an_out_of_range_pain_before_is_refused(client_logged_in, routine, pain):
    response = check(client_logged_in, routine, pain_before=pain)

    assert response.status_code == 422
    assert not SessionRun.objects.exists()


def test_an_impossible_blood_pressure_is_refused(client_logged_in, routine, user):
    declare(user, "hypertension")

    response = check(client_logged_in, routine, systolic="9000")

    assert response.status_code == 422
    assert not SessionRun.objects.exists()


def test_an_unknown_prep_item_is_refused(client_logged_in, routine):
    response = check(client_logged_in, routine, prep=["no-such-item"])

    assert response.status_code == 422


# --- During the session ---------------------------------------------------------------------


def test_the_run_page_shows_the_current_step_and_its_timer(client_logged_in, run):
    html = client_logged_in.get(run_url(run)).content.decode()

    assert "Step 1 of 4" in html
    assert 'role="timer"' in html
    assert 'aria-live="off"' in html
    assert 'data-remaining="60.' in html or 'data-remaining="59.' in html
    assert "Light stroking" in html
    assert "Next: <strong>Light stroking</strong> on the kidney area" in html


def test_the_kidney_step_shows_its_warning_in_an_alert(client_logged_in, run):
    rewind(run, 61)
    client_logged_in.post(step_url(run), {"action": "advance", "from_index": "0"})

    html = client_logged_in.get(run_url(run)).content.decode()

    alert = html.split('role="alert"', 1)[1].split("</section>", 1)[0]
    # The engine's finding for stroking on the kidney area, with its source (seed 002).
    rule = ZoneRule.objects.get(code="kidney-stroking-light")
    assert rule.message in alert
    assert "002_8d9f8d67dee089ad.txt" in alert


def test_the_page_works_without_javascript(client_logged_in, run):
    html = client_logged_in.get(run_url(run)).content.decode()

    for action in ["pause", "skip", "repeat", "lower", "stop-pain", "stop"]:
        assert f'name="action" value="{action}"' in html
    assert "01:00" in html or "00:59" in html


def test_another_user_gets_404_on_the_run(client, other_user, run):
    client.force_login(other_user)

    assert client.get(run_url(run)).status_code == 404
    assert client.post(step_url(run), {"action": "skip", "from_index": "0"}).status_code == 404
    assert client.get(summary_url(run)).status_code == 404
    run.refresh_from_db()
    assert run.current_index == 0


def test_it_advances_when_the_step_is_over(client_logged_in, run):
    rewind(run, 61)

    response = client_logged_in.post(step_url(run), {"action": "advance", "from_index": "0"})

    assert response.status_code == 302
    run.refresh_from_db()
    assert run.current_index == 1


def test_a_repeated_advance_moves_only_once(client_logged_in, run):
    rewind(run, 61)
    client_logged_in.post(step_url(run), {"action": "advance", "from_index": "0"})

    response = client_logged_in.post(step_url(run), {"action": "advance", "from_index": "0"})

    assert response.status_code == 409
    assert "already moved on" in response.content.decode()
    run.refresh_from_db()
    assert run.current_index == 1


def test_an_early_advance_is_stale_and_changes_nothing(client_logged_in, run):
    response = client_logged_in.post(step_url(run), {"action": "advance", "from_index": "0"})

    assert response.status_code == 409
    run.refresh_from_db()
    assert run.current_index == 0


def test_a_stale_htmx_advance_returns_the_current_step(client_logged_in, run):
    response = client_logged_in.post(
        step_url(run), {"action": "advance", "from_index": "0"}, **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="session"')
    assert 'data-index="0"' in html


def test_an_htmx_advance_returns_the_next_step(client_logged_in, run):
    rewind(run, 61)

    response = client_logged_in.post(
        step_url(run), {"action": "advance", "from_index": "0"}, **HTMX
    )

    assert response.status_code == 200
    assert 'data-index="1"' in response.content.decode()
    assert "<html" not in response.content.decode()


def test_a_skip_moves_on_early_and_is_logged(client_logged_in, run):
    client_logged_in.post(step_url(run), {"action": "skip", "from_index": "0"})

    run.refresh_from_db()
    assert run.current_index == 1
    assert run.events.last().kind == RunEvent.Kind.SKIP


def test_back_returns_to_the_previous_step(client_logged_in, run):
    client_logged_in.post(step_url(run), {"action": "skip", "from_index": "0"})

    client_logged_in.post(step_url(run), {"action": "back", "from_index": "1"})

    run.refresh_from_db()
    assert run.current_index == 0


def test_pause_and_resume_through_the_page(client_logged_in, run):
    client_logged_in.post(step_url(run), {"action": "pause", "from_index": "0"})
    run.refresh_from_db()
    assert run.state == SessionRun.State.PAUSED
    assert 'value="resume"' in client_logged_in.get(run_url(run)).content.decode()

    client_logged_in.post(step_url(run), {"action": "resume", "from_index": "0"})

    run.refresh_from_db()
    assert run.state == SessionRun.State.RUNNING


@pytest.mark.parametrize(
    "data",
    [
        {"action": "advance", "from_index": "zero"},
        {"action": "advance", "from_index": "-1"},
        {"action": "advance"},
        {"action": "teleport", "from_index": "0"},
        {"from_index": "0"},
    ],
)
def test_a_malformed_action_is_a_400(client_logged_in, run, data):
    response = client_logged_in.post(step_url(run), data)

    assert response.status_code == 400
    run.refresh_from_db()
    assert run.current_index == 0
    assert run.events.count() == 1


def test_it_hurts_lower_keeps_going_with_a_lower_intensity(client_logged_in, library, user):
    plan = [
        {
            "kind": "step",
            "technique": "Kneading",
            "duration_s": 60,
            "intensity": 2,
            "intensity_label": "moderate",
            "warnings": [],
        }
    ]
    run = SessionRun.objects.start(user, "Firm", plan, timezone.now())

    client_logged_in.post(step_url(run), {"action": "lower", "from_index": "0"})

    run.refresh_from_db()
    assert run.state == SessionRun.State.RUNNING
    assert run.current_step["intensity"] == 1
    assert run.events.last().kind == RunEvent.Kind.LOWER
    assert "lowered because it hurt" in client_logged_in.get(run_url(run)).content.decode()


def test_it_hurts_stop_ends_the_session_for_pain(client_logged_in, run):
    response = client_logged_in.post(step_url(run), {"action": "stop-pain", "from_index": "0"})

    assert response.status_code == 302
    assert response.url == summary_url(run)
    run.refresh_from_db()
    assert run.state == SessionRun.State.STOPPED
    assert run.stop_reason == SessionRun.StopReason.PAIN


def test_an_htmx_stop_sends_the_browser_to_the_summary(client_logged_in, run):
    response = client_logged_in.post(step_url(run), {"action": "stop", "from_index": "0"}, **HTMX)

    assert response["HX-Redirect"] == summary_url(run)


def test_finishing_the_rest_step_ends_the_session(client_logged_in, run):
    for index in range(3):
        client_logged_in.post(step_url(run), {"action": "skip", "from_index": str(index)})
    run.refresh_from_db()
    rewind(run, 181)

    response = client_logged_in.post(step_url(run), {"action": "advance", "from_index": "3"})

    assert response.url == summary_url(run)
    run.refresh_from_db()
    assert run.state == SessionRun.State.FINISHED


def test_the_run_page_of_an_ended_session_goes_to_the_summary(client_logged_in, run):
    run.stop(SessionRun.StopReason.USER, timezone.now())

    response = client_logged_in.get(run_url(run))

    assert response.url == summary_url(run)


@pytest.mark.parametrize("steps", [3, 30])
def test_the_run_page_has_a_constant_query_count(
    client_logged_in, user, django_assert_max_num_queries, steps
):
    plan = [
        {"kind": "step", "technique": f"Step {n}", "duration_s": 60, "warnings": []}
        for n in range(steps)
    ]
    run = SessionRun.objects.start(user, "Long", plan, timezone.now())

    with django_assert_max_num_queries(3):
        assert client_logged_in.get(run_url(run)).status_code == 200


# --- After the session ----------------------------------------------------------------------


@pytest.fixture
def ended(run):
    run.pause(timezone.now())
    run.resume(timezone.now())
    run.advance(0, timezone.now(), skipped=True)
    run.stop(SessionRun.StopReason.USER, timezone.now())
    return run


def test_the_summary_shows_the_timeline_and_aftercare(client_logged_in, ended):
    html = client_logged_in.get(summary_url(ended)).content.decode()

    assert "Session summary: Quiet evening" in html
    for label in ["Started", "Paused", "Resumed", "Step skipped", "Stopped"]:
        assert label in html
    assert PrepItem.objects.filter(phase="after", condition=None).first().text in html


def test_it_saves_the_check_in(client_logged_in, ended):
    response = client_logged_in.post(summary_url(ended), {"pain_after": "1", "note": "Warm."})

    assert response.status_code == 302
    ended.refresh_from_db()
    assert (ended.pain_after, ended.note) == (1, "Warm.")


@pytest.mark.parametrize("data", [{"pain_after": "11"}, {"pain_after": "x"}, {"note": "n" * 501}])
def test_a_bad_check_in_is_refused_and_not_saved(client_logged_in, ended, data):
    response = client_logged_in.post(summary_url(ended), data)

    assert response.status_code == 422
    ended.refresh_from_db()
    assert ended.pain_after is None
    assert ended.note == ""


def test_the_summary_of_a_running_session_goes_back_to_it(client_logged_in, run):
    response = client_logged_in.get(summary_url(run))

    assert response.url == run_url(run)


@pytest.mark.parametrize("rounds", [1, 10])
def test_the_summary_has_a_constant_query_count(
    client_logged_in, run, django_assert_max_num_queries, rounds
):
    now = timezone.now()
    for _ in range(rounds):
        run.pause(now)
        run.resume(now)
    run.stop(SessionRun.StopReason.USER, now)

    with django_assert_max_num_queries(9):
        assert client_logged_in.get(summary_url(run)).status_code == 200


def test_a_bad_check_in_by_htmx_shows_its_error_in_the_fragment(client_logged_in, ended):
    page = client_logged_in.get(summary_url(ended)).content.decode()
    response = client_logged_in.post(
        summary_url(ended), {"pain_after": "11"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert html.lstrip().startswith('<section id="check-in"') or 'id="check-in"' in html[:200]
    assert "less than or equal to 10" in html
    # The page the fragment lands in lets htmx swap a 422 in (base.html's htmx-config).
    assert '"422"' in page or "422" in page.split('name="htmx-config"', 1)[1][:400]
