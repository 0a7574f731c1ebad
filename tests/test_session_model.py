"""The timing model of a session run, driven with `now` passed in (no clock mocking)."""

import datetime as dt

import pytest

from routines.models import RunEvent, SessionRun
from routines.sessions import actions
from tests.factories import CourseSessionFactory, UserFactory

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def plan(*durations: int) -> list[dict]:
    steps = [
        {
            "kind": "step",
            "technique": f"Step {n}",
            "duration_s": d,
            "intensity": 2,
            "intensity_label": "moderate",
            "warnings": [],
        }
        for n, d in enumerate(durations, start=1)
    ]
    return [*steps, {"kind": "rest", "technique": "Rest", "duration_s": 30, "warnings": []}]


@pytest.fixture
def run(db):
    return SessionRun.objects.start(UserFactory(), "Evening back", plan(60, 40), at(0))


def kinds(run: SessionRun) -> list[str]:
    return list(run.events.values_list("kind", flat=True))


def test_it_starts_on_the_first_step_with_a_start_event(run):
    assert run.current_index == 0
    assert run.state == SessionRun.State.RUNNING
    assert run.remaining(at(0)) == 60
    assert kinds(run) == [RunEvent.Kind.START]


def test_it_refuses_to_start_an_empty_plan(db):
    with pytest.raises(ValueError):
        SessionRun.objects.start(UserFactory(), "Nothing", [], at(0))


def test_it_counts_down_with_the_clock(run):
    assert run.remaining(at(15)) == 45
    assert run.step_ends_at() == at(60)


def test_it_advances_when_the_step_has_run_out(run):
    assert run.advance(0, at(60)) is True

    run.refresh_from_db()
    assert run.current_index == 1
    assert run.remaining(at(60)) == 40
    assert kinds(run)[-1] == RunEvent.Kind.COMPLETE


def test_a_late_advance_starts_the_next_step_at_the_scheduled_end(run):
    run.advance(0, at(70))

    run.refresh_from_db()
    assert run.step_started_at == at(60)
    assert run.remaining(at(70)) == 30


def test_an_early_automatic_advance_is_refused(run):
    assert run.advance(0, at(30)) is False

    run.refresh_from_db()
    assert run.current_index == 0
    assert kinds(run) == [RunEvent.Kind.START]


def test_an_advance_within_the_grace_counts_as_on_time(run):
    assert run.advance(0, at(59.7)) is True


def test_an_advance_with_a_stale_index_changes_nothing(run):
    run.advance(0, at(60))

    assert run.advance(0, at(61)) is False

    run.refresh_from_db()
    assert run.current_index == 1
    assert kinds(run).count(RunEvent.Kind.COMPLETE) == 1


def test_a_stale_object_in_memory_cannot_advance_twice(run):
    other_tab = SessionRun.objects.get(pk=run.pk)
    run.advance(0, at(60))

    assert other_tab.advance(0, at(60.2)) is False
    assert SessionRun.objects.get(pk=run.pk).current_index == 1


def test_it_skips_a_step_early_and_logs_a_skip(run):
    assert run.advance(0, at(20), skipped=True) is True

    run.refresh_from_db()
    assert run.current_index == 1
    assert run.step_started_at == at(20)
    assert kinds(run)[-1] == RunEvent.Kind.SKIP


def test_a_skip_after_the_time_is_up_counts_as_completed(run):
    run.advance(0, at(60), skipped=True)

    assert kinds(run)[-1] == RunEvent.Kind.COMPLETE


def test_pause_holds_the_remaining_time(run):
    run.pause(at(10))

    assert run.remaining(at(10)) == 50
    assert run.remaining(at(500)) == 50
    assert run.step_ends_at() is None


def test_resume_after_a_gap_keeps_the_remaining_time(run):
    run.pause(at(10))
    run.resume(at(310))

    run.refresh_from_db()
    assert run.state == SessionRun.State.RUNNING
    assert run.paused_seconds == 300
    assert run.remaining(at(310)) == 50
    assert run.step_ends_at() == at(360)


def test_an_automatic_advance_during_a_pause_is_refused(run):
    run.pause(at(10))

    assert run.advance(0, at(100)) is False


def test_pause_twice_logs_one_pause(run):
    run.pause(at(10))

    assert run.pause(at(11)) is False
    assert kinds(run).count(RunEvent.Kind.PAUSE) == 1


def test_resume_without_pause_is_refused(run):
    assert run.resume(at(10)) is False


def test_a_skip_while_paused_keeps_the_next_step_paused_at_its_start(run):
    run.pause(at(10))
    run.advance(0, at(20), skipped=True)

    run.refresh_from_db()
    assert run.current_index == 1
    assert run.state == SessionRun.State.PAUSED
    assert run.remaining(at(90)) == 40


def test_back_restarts_the_previous_step(run):
    run.advance(0, at(60))

    assert run.back(1, at(70)) is True

    run.refresh_from_db()
    assert run.current_index == 0
    assert run.remaining(at(70)) == 60
    assert kinds(run)[-1] == RunEvent.Kind.BACK


def test_back_from_the_first_step_is_refused(run):
    assert run.back(0, at(5)) is False


def test_repeat_restarts_the_current_step(run):
    run.pause(at(10))
    run.resume(at(20))

    assert run.repeat(0, at(40)) is True

    run.refresh_from_db()
    assert run.current_index == 0
    assert run.paused_seconds == 0
    assert run.remaining(at(40)) == 60


def test_repeat_with_a_stale_index_is_refused(run):
    assert run.repeat(1, at(5)) is False


def test_finishing_the_last_step_ends_the_run(run):
    run.advance(0, at(60))
    run.advance(1, at(100))

    assert run.advance(2, at(130)) is True

    run.refresh_from_db()
    assert run.state == SessionRun.State.FINISHED
    assert run.ended_at == at(130)
    assert kinds(run)[-2:] == [RunEvent.Kind.COMPLETE, RunEvent.Kind.FINISH]


def test_nothing_moves_after_the_end(run):
    run.stop(SessionRun.StopReason.USER, at(5))

    assert run.advance(0, at(100)) is False
    assert run.pause(at(100)) is False
    assert run.lower_intensity(at(100)) is False


def test_stop_for_pain_records_the_reason(run):
    assert run.stop(SessionRun.StopReason.PAIN, at(30)) is True

    run.refresh_from_db()
    assert run.state == SessionRun.State.STOPPED
    assert run.stop_reason == SessionRun.StopReason.PAIN
    assert run.ended_at == at(30)


def test_stop_while_paused_closes_the_pause(run):
    run.pause(at(10))
    run.stop(SessionRun.StopReason.USER, at(40))

    run.refresh_from_db()
    assert run.paused_at is None
    assert run.paused_seconds == 30


def test_lower_intensity_eases_the_current_step_and_goes_on(run):
    assert run.lower_intensity(at(10)) is True

    run.refresh_from_db()
    assert run.state == SessionRun.State.RUNNING
    assert run.current_step["intensity"] == 1
    assert run.current_step["lowered"] is True
    assert run.remaining(at(10)) == 50
    event = run.events.last()
    assert (event.kind, event.detail) == (RunEvent.Kind.LOWER, "moderate → gentle")


def test_lower_intensity_never_goes_below_gentle(run):
    run.lower_intensity(at(10))
    run.lower_intensity(at(11))

    run.refresh_from_db()
    assert run.current_step["intensity"] == 1


def test_finish_ends_the_run_on_any_step(run):
    assert run.finish(at(10)) is True

    run.refresh_from_db()
    assert run.state == SessionRun.State.FINISHED


def test_worked_seconds_leaves_out_the_pauses(run):
    run.pause(at(10))
    run.resume(at(40))
    run.stop(SessionRun.StopReason.USER, at(100))

    run.refresh_from_db()
    assert run.worked_seconds() == 70


def test_the_end_of_a_course_session_run_is_reported_to_the_course(db, monkeypatch):
    reported = []
    monkeypatch.setattr(
        "routines.sessions.actions.record_run", lambda run, now: reported.append((run.pk, now))
    )
    course_session = CourseSessionFactory()
    run = SessionRun.objects.start(
        course_session.course.owner, "Course day", plan(20), at(0), course_session=course_session
    )

    actions.perform(run, "stop-pain", 0, at(5))

    assert reported == [(run.pk, at(5))]


def test_the_run_itself_leaves_its_course_alone(db):
    course_session = CourseSessionFactory()
    run = SessionRun.objects.start(
        course_session.course.owner, "Course day", plan(20), at(0), course_session=course_session
    )

    run.stop(SessionRun.StopReason.PAIN, at(5))

    course_session.refresh_from_db()
    assert course_session.is_pending
