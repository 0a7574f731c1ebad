"""The intensity caps and the work-order rules, seen through the builder and the running session.

A capped step is refused at the stronger intensity, the engine offers to lower it (a certain
fix), and once lowered the builder shows it and the session runs it at the capped intensity.
A jar or honey step without its warm-up is refused until the offered warm-up is in place.
"""

import pytest
from django.urls import reverse

from routines.models import Intensity, Routine, SessionRun
from tests.routine_helpers import add_step

GENTLE, MODERATE, INTENSE = Intensity.GENTLE, Intensity.MODERATE, Intensity.INTENSE

CAPS = [
    # 004: light work only over the heart.
    ("palm-rubbing", "heart-projection", MODERATE, GENTLE, "zone:heart-no-intense"),
    # 002: no full force between the shoulder blades.
    ("palm-rubbing", "interscapular", INTENSE, MODERATE, "zone:interscapular-no-max-force"),
    # 002: reception 4 is done without pressure; it must not hurt.
    ("reception-4-fists", "lumbar", MODERATE, GENTLE, "technique-intensity-cap"),
]


def builder(client, routine):
    return client.get(reverse("routines:builder", args=[routine.pk]))


def fix(client, routine, code, step):
    url = reverse("routines:routine-fix", args=[routine.pk])
    return client.post(url, {"code": code, "step": step.pk})


def start(client, routine):
    return client.post(reverse("routines:session-start", args=[routine.pk]), {"check": "1"})


def capped_routine(user, technique, zone, intensity):
    routine = Routine.objects.create(owner=user, name="Capped")
    add_step(routine, "light-stroking", "whole-back")
    add_step(routine, "palm-rubbing", "whole-back")
    step = add_step(routine, technique, zone, intensity=intensity)
    add_step(routine, "light-stroking", "whole-back")
    return routine, step


@pytest.mark.parametrize(("technique", "zone", "asked", "capped", "code"), CAPS)
def test_the_builder_refuses_the_stronger_step_and_offers_the_certain_fix(
    client_logged_in, library, user, technique, zone, asked, capped, code
):
    routine, step = capped_routine(user, technique, zone, asked)

    response = builder(client_logged_in, routine)

    findings = {f.code: f for f in response.context["report"].for_step(step.position)}
    assert findings[code].severity == "forbidden"
    assert findings[code].fix_label == f"Lower this step to {Intensity(capped).label}"
    assert f"Lower this step to {Intensity(capped).label}" in response.content.decode()
    assert start(client_logged_in, routine).status_code == 409
    assert not SessionRun.objects.filter(routine=routine).exists()


@pytest.mark.parametrize(("technique", "zone", "asked", "capped", "code"), CAPS)
def test_the_lowered_step_shows_and_runs_at_the_capped_intensity(
    client_logged_in, library, user, technique, zone, asked, capped, code
):
    routine, step = capped_routine(user, technique, zone, asked)

    assert fix(client_logged_in, routine, "lower-intensity", step).status_code == 302

    step.refresh_from_db()
    assert step.intensity == capped
    page = builder(client_logged_in, routine)
    assert code not in {f.code for f in page.context["report"].findings}
    response = start(client_logged_in, routine)
    assert response.status_code == 302
    run = SessionRun.objects.get(routine=routine)
    run_step = [s for s in run.plan if s.get("kind") == "step"][2]
    assert run_step["intensity"] == capped
    for index in (0, 1):
        moved = client_logged_in.post(
            reverse("routines:session-step", args=[run.pk]),
            {"action": "skip", "from_index": index},
        )
        assert moved.status_code in {200, 302}
    run.refresh_from_db()
    assert run.current_step["technique_slug"] == technique
    live = client_logged_in.get(reverse("routines:session-run", args=[run.pk])).content.decode()
    assert f"<dt>Intensity</dt><dd>{Intensity(capped).label.capitalize()}</dd>" in live


@pytest.mark.parametrize(
    ("technique", "code", "added"),
    [
        # 002, 004: stroking, then rubbing, then the jar.
        ("cupping", "cupping-after-stroking-and-rubbing", ["light-stroking", "palm-rubbing"]),
        # 002: honey follows classic work or the jar.
        ("honey-massage", "honey-after-classic-or-cupping", ["light-stroking", "palm-rubbing"]),
    ],
)
def test_a_jar_or_honey_first_is_refused_until_the_warm_up_is_added_before_it(
    client_logged_in, library, user, technique, code, added
):
    routine = Routine.objects.create(owner=user, name="Straight to it")
    work = add_step(routine, technique, "lumbar")
    add_step(routine, "light-stroking", "whole-back")
    report = builder(client_logged_in, routine).context["report"]
    assert code in {f.code for f in report.for_step(work.position)}
    assert start(client_logged_in, routine).status_code == 409

    response = fix(client_logged_in, routine, "add-warm-up-before", work)

    assert response.status_code == 302
    slugs = list(routine.steps.order_by("position").values_list("technique__slug", flat=True))
    assert slugs == [*added, technique, "light-stroking"]
    report = builder(client_logged_in, routine).context["report"]
    assert code not in {f.code for f in report.findings}


def test_the_warm_up_fix_adds_only_what_is_missing(client_logged_in, library, user):
    routine = Routine.objects.create(owner=user, name="Stroke then jar")
    add_step(routine, "light-stroking", "whole-back")
    jar = add_step(routine, "cupping", "lumbar")
    add_step(routine, "light-stroking", "whole-back")

    fix(client_logged_in, routine, "add-warm-up-before", jar)

    slugs = list(routine.steps.order_by("position").values_list("technique__slug", flat=True))
    assert slugs == ["light-stroking", "palm-rubbing", "cupping", "light-stroking"]


def test_the_warm_up_fix_is_refused_when_nothing_is_missing(client_logged_in, library, user):
    routine = Routine.objects.create(owner=user, name="Proper jar")
    add_step(routine, "light-stroking", "whole-back")
    add_step(routine, "palm-rubbing", "lumbar")
    jar = add_step(routine, "cupping", "lumbar")

    response = fix(client_logged_in, routine, "add-warm-up-before", jar)

    assert response.status_code == 409
    assert routine.steps.count() == 3


def test_the_warm_up_fix_needs_a_step(client_logged_in, library, user):
    routine = Routine.objects.create(owner=user, name="No step")
    add_step(routine, "cupping", "lumbar")

    response = client_logged_in.post(
        reverse("routines:routine-fix", args=[routine.pk]), {"code": "add-warm-up-before"}
    )

    assert response.status_code == 422
    assert routine.steps.count() == 1
