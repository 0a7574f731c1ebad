"""Whatever a person does in the builder, a routine with an unsafe step can never be started.

Hypothesis drives random sequences of builder operations through the same HTTP endpoints the
pages use (add, remove, move, apply a fix, plus tampered input). After every sequence:
- the routine's positions are still 1..n and within the step limit (nothing half-saved);
- the engine's `can_start` holds only when no finding stops a start;
- the builder page offers "Start" exactly when the engine allows it;
- the server's start endpoint starts a session exactly when the engine allows it.
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routines.models import (
    Contraindication,
    DeclaredCondition,
    Routine,
    Screening,
    SessionRun,
    Severity,
)
from routines.models.routine import MAX_STEPS
from routines.safety import Person, RuleBook, check

TECHNIQUES = [
    "light-stroking",
    "palm-rubbing",
    "sawing",
    "kneading",
    "squeezing",
    "paravertebral-pressure",
    "vibration",
    "tapping",
    "chopping",
    "cupping",
    "honey-massage",
    "fist-rubbing",
    "reception-4-fists",
    "crossed-palm-heat",
]
ZONES = [
    "whole-back",
    "thoracic",
    "lumbar",
    "paravertebral",
    "spine",
    "kidney-area",
    "neck",
    "heart-projection",
    "lymph-axillary",
]
# Conditions whose verdict does not hang on a blood-pressure reading taken on the day.
CONDITIONS = ["hernia", "osteochondrosis", "menstruation", "oncology", "pregnancy"]
STOPPING = {Severity.FORBIDDEN, Severity.BLOCK, Severity.POSTPONE}
BLOCKED_TEXT = "cannot be started yet"

add_op = st.tuples(
    st.just("add"),
    st.sampled_from(TECHNIQUES),
    st.sampled_from(ZONES),
    st.sampled_from(["1", "2", "3", ""]),
    st.one_of(st.integers(10, 1800).map(str), st.sampled_from(["-5", "0", "5000", "abc"])),
)
remove_op = st.tuples(st.just("remove"), st.integers(0, 50))
move_op = st.tuples(st.just("move"), st.integers(0, 50), st.integers(-1, 12).map(str))
fix_op = st.tuples(st.just("fix"), st.integers(0, 50))
tampered_fix_op = st.tuples(
    st.just("tampered-fix"),
    st.integers(0, 50),
    st.sampled_from(
        [
            "move-zone",
            "direction-down",
            "add-opening-stroking",
            "add-warm-up-before",
            "lower-intensity",
            "nonsense",
        ]
    ),
)
operations = st.lists(
    st.one_of(add_op, add_op, remove_op, move_op, fix_op, tampered_fix_op), max_size=6
)


def report_for(routine, user):
    person = Person.of(user, timezone.localdate())
    return check(list(routine.ordered_steps()), person, rules=RuleBook.load())


def steps_of(routine):
    return list(routine.steps.order_by("position"))


def run(client, routine, user, operation) -> int:
    """Perform one operation through HTTP; returns the status code."""
    kind = operation[0]
    steps = steps_of(routine)
    if kind == "add":
        _, technique, zone, intensity, duration = operation
        data = {
            "technique": technique,
            "zone": zone,
            "intensity": intensity,
            "duration_s": duration,
            "side": "both",
        }
        return client.post(reverse("routines:step-add", args=[routine.pk]), data).status_code
    if not steps:
        return 0
    step = steps[operation[1] % len(steps)]
    if kind == "remove":
        url = reverse("routines:step-delete", args=[routine.pk, step.pk])
        return client.post(url).status_code
    if kind == "move":
        url = reverse("routines:step-move", args=[routine.pk, step.pk])
        return client.post(url, {"to": operation[2]}).status_code
    fix_url = reverse("routines:routine-fix", args=[routine.pk])
    if kind == "fix":
        offered = [f for f in report_for(routine, user).findings if f.fix]
        if not offered:
            return 0
        finding = offered[operation[1] % len(offered)]
        target = next(s for s in steps if s.position == finding.step)
        return client.post(fix_url, {"code": finding.fix, "step": target.pk}).status_code
    return client.post(fix_url, {"code": operation[2], "step": step.pk}).status_code


@pytest.fixture
def person(client, library, user):
    client.force_login(user)
    return client, user


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=operations,
    start_from=st.sampled_from(["empty", "lumbar-protocol", "home-spinal-11-step"]),
    conditions=st.lists(st.sampled_from(CONDITIONS), max_size=2, unique=True),
)
def test_no_builder_sequence_makes_an_unsafe_routine_startable(person, ops, start_from, conditions):
    client, user = person
    Screening.objects.filter(user=user).delete()
    screening = Screening.objects.create(user=user)
    DeclaredCondition.objects.bulk_create(
        DeclaredCondition(screening=screening, condition=c)
        for c in Contraindication.objects.filter(slug__in=conditions)
    )
    if start_from == "empty":
        routine = Routine.objects.create(owner=user, name="Random")
    else:
        routine = Routine.objects.get(slug=start_from, owner=None).copy_for(user)

    for operation in ops:
        status = run(client, routine, user, operation)
        assert status in {0, 302, 409, 422}, (operation, status)
        positions = [s.position for s in steps_of(routine)]
        assert positions == list(range(1, len(positions) + 1))
        assert len(positions) <= MAX_STEPS

    report = report_for(routine, user)
    stopping = [f for f in report.findings if Severity(f.severity) in STOPPING]
    assert report.can_start == (not stopping)

    page = client.get(reverse("routines:builder", args=[routine.pk])).content.decode()
    assert (BLOCKED_TEXT not in page) == report.can_start

    runs_before = SessionRun.objects.filter(routine=routine).count()
    response = client.post(reverse("routines:session-start", args=[routine.pk]), {"check": "1"})
    started = SessionRun.objects.filter(routine=routine).count() - runs_before
    if report.can_start:
        assert (response.status_code, started) == (302, 1)
    else:
        assert (response.status_code, started) == (409, 0)
