"""The routine list and the step-by-step builder, through HTTP."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.urls import reverse

from routines.models import (
    BodyZone,
    Contraindication,
    DeclaredCondition,
    Direction,
    Intensity,
    Routine,
    RoutineStep,
    Screening,
    Severity,
    Technique,
)
from routines.models.routine import MAX_STEPS
from routines.safety import check
from tests.budgets import PERSONAL_BUILD, announce_changes, build_queries
from tests.factories import ZoneFactory
from tests.routine_helpers import add_step, safe_routine

HTMX = {"HX-Request": "true"}


def builder_url(routine):
    return reverse("routines:builder", args=[routine.pk])


def step_url(name, step):
    return reverse(f"routines:{name}", args=[step.routine_id, step.pk])


def good_step(**overrides):
    return {
        "technique": "kneading",
        "zone": "lumbar",
        "duration_s": "90",
        "intensity": "2",
        "direction": "bottom_to_top",
        "side": "both",
        "note": "",
    } | overrides


def order(routine):
    return list(routine.steps.order_by("position").values_list("technique__slug", flat=True))


def declare(user, slug, systolic=None):
    screening, _ = Screening.objects.get_or_create(user=user, usual_systolic=systolic)
    DeclaredCondition.objects.create(
        screening=screening, condition=Contraindication.objects.get(slug=slug)
    )


@pytest.fixture
def routine(library, user):
    return safe_routine(user)


# --- The list ----------------------------------------------------------------------------------


def test_it_lists_only_my_routines(client_logged_in, routine, other_user):
    safe_routine(other_user, name="Someone else's back")

    response = client_logged_in.get(reverse("routines:routine-list"))

    assert response.status_code == 200
    assert "Evening back" in response.content.decode()
    assert "Someone else" not in response.content.decode()


def test_it_sends_anonymous_people_to_log_in(client, library):
    response = client.get(reverse("routines:routine-list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_creates_a_routine_and_opens_the_builder(client_logged_in, user, library):
    response = client_logged_in.post(reverse("routines:routine-create"), {"name": "Morning"})

    routine = Routine.objects.get(owner=user, name="Morning")
    assert response.status_code == 302
    assert response.url == builder_url(routine)


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_it_refuses_a_blank_or_oversized_name(client_logged_in, user, library, name):
    response = client_logged_in.post(reverse("routines:routine-create"), {"name": name})

    assert response.status_code == 422
    assert not Routine.objects.filter(owner=user).exists()


def test_it_renames_a_routine(client_logged_in, routine):
    response = client_logged_in.post(
        reverse("routines:routine-rename", args=[routine.pk]), {"name": "Sunday back"}
    )

    routine.refresh_from_db()
    assert response.status_code == 302
    assert routine.name == "Sunday back"


def test_it_refuses_an_empty_new_name(client_logged_in, routine):
    response = client_logged_in.post(
        reverse("routines:routine-rename", args=[routine.pk]), {"name": ""}
    )

    routine.refresh_from_db()
    assert response.status_code == 422
    assert routine.name == "Evening back"


def test_it_duplicates_a_routine_with_its_steps(client_logged_in, routine, user):
    response = client_logged_in.post(
        reverse("routines:routine-duplicate", args=[routine.pk]), {"name": ""}
    )

    copy = Routine.objects.get(owner=user, name="Evening back (copy)")
    assert response.status_code == 302
    assert response.url == builder_url(copy)
    assert order(copy) == order(routine)


def test_it_asks_before_deleting(client_logged_in, routine):
    response = client_logged_in.get(reverse("routines:routine-delete", args=[routine.pk]))

    assert response.status_code == 200
    assert "Yes, delete it" in response.content.decode()
    assert Routine.objects.filter(pk=routine.pk).exists()


def test_it_deletes_a_routine(client_logged_in, routine):
    response = client_logged_in.post(reverse("routines:routine-delete", args=[routine.pk]))

    assert response.status_code == 302
    assert not Routine.objects.filter(pk=routine.pk).exists()


@pytest.mark.parametrize(
    ("method", "name", "data"),
    [
        ("get", "builder", None),
        ("post", "routine-rename", {"name": "Mine now"}),
        ("post", "routine-duplicate", {}),
        ("get", "routine-delete", None),
        ("post", "routine-delete", {}),
        ("post", "step-add", good_step()),
        ("post", "routine-fix", {"code": "add-opening-stroking"}),
    ],
)
def test_another_user_gets_404_on_a_routine(client, routine, other_user, method, name, data):
    client.force_login(other_user)

    response = getattr(client, method)(reverse(f"routines:{name}", args=[routine.pk]), data)

    assert response.status_code == 404
    assert Routine.objects.filter(owner=other_user).count() == 0
    assert routine.steps.count() == 3
    routine.refresh_from_db()
    assert routine.name == "Evening back"


@pytest.mark.parametrize(
    ("method", "name", "data"),
    [
        ("get", "step-edit", None),
        ("post", "step-edit", good_step()),
        ("post", "step-delete", {}),
        ("post", "step-move", {"to": "1"}),
    ],
)
def test_another_user_gets_404_on_a_step(client, routine, other_user, method, name, data):
    step = routine.steps.order_by("position").last()
    client.force_login(other_user)

    response = getattr(client, method)(step_url(name, step), data)

    assert response.status_code == 404
    assert order(routine) == ["light-stroking", "palm-rubbing", "light-stroking"]


def test_a_step_of_another_routine_gets_404(client_logged_in, routine, user):
    elsewhere = add_step(safe_routine(user, name="Other"), "kneading", "lumbar")

    response = client_logged_in.post(
        reverse("routines:step-delete", args=[routine.pk, elsewhere.pk])
    )

    assert response.status_code == 404
    assert RoutineStep.objects.filter(pk=elsewhere.pk).exists()


def test_an_unknown_routine_gets_404(client_logged_in, library):
    response = client_logged_in.get(reverse("routines:builder", args=[999_999]))

    assert response.status_code == 404


# --- The builder page --------------------------------------------------------------------------


def test_it_shows_steps_total_time_and_verdict(client_logged_in, routine):
    response = client_logged_in.get(builder_url(routine))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Palm rubbing" in html
    assert "Total time: <strong>3 min</strong>" in html
    assert "verdict-ok" in html


def test_it_refuses_tapping_on_the_kidney_area_with_its_reason_and_source(
    client_logged_in, routine
):
    add_step(routine, "tapping", "kidney-area")

    html = client_logged_in.get(builder_url(routine)).content.decode()

    assert "finding-forbidden" in html
    assert "over the kidneys can hurt them" in html
    assert "002_8d9f8d67dee089ad.txt" in html
    assert "cannot be started yet" in html


def test_it_shows_no_start_explanation_for_a_safe_routine(client_logged_in, routine):
    html = client_logged_in.get(builder_url(routine)).content.decode()

    assert "cannot be started yet" not in html


def test_it_says_a_blocking_condition_rules_out_any_session(client_logged_in, routine, user):
    declare(user, "oncology")

    html = client_logged_in.get(builder_url(routine)).content.decode()

    assert "verdict-block" in html
    assert "cannot be started yet" in html


# --- Adding steps ------------------------------------------------------------------------------


def test_it_adds_a_step_at_the_end(client_logged_in, routine):
    response = client_logged_in.post(reverse("routines:step-add", args=[routine.pk]), good_step())

    assert response.status_code == 302
    assert order(routine)[-1] == "kneading"
    assert routine.steps.order_by("position").last().position == 4


def test_it_adds_a_step_with_htmx_and_answers_with_the_steps_fragment(client_logged_in, routine):
    response = client_logged_in.post(
        reverse("routines:step-add", args=[routine.pk]), good_step(), headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="steps"')
    assert "<h1" not in html
    assert "Step 4 added." in html


def test_it_takes_intensity_and_direction_from_the_technique_when_left_blank(
    client_logged_in, routine
):
    client_logged_in.post(
        reverse("routines:step-add", args=[routine.pk]),
        good_step(technique="tapping", intensity="", direction=""),
    )

    step = routine.steps.order_by("position").last()
    assert step.intensity == step.technique.intensity
    assert step.direction == step.technique.direction


@pytest.mark.parametrize(
    "overrides",
    [
        {"duration_s": "-30"},
        {"duration_s": "0"},
        {"duration_s": "9"},
        {"duration_s": "1801"},
        {"duration_s": "99999999999999999999"},
        {"duration_s": "ten"},
        {"duration_s": ""},
        {"technique": "no-such-technique"},
        {"technique": ""},
        {"zone": "moon"},
        {"zone": ""},
        {"reps": "0"},
        {"reps": "101"},
        {"intensity": "7"},
        {"direction": "sideways"},
        {"side": "middle"},
        {"note": "x" * 201},
    ],
)
def test_it_refuses_a_bad_step_and_saves_nothing(client_logged_in, routine, overrides):
    response = client_logged_in.post(
        reverse("routines:step-add", args=[routine.pk]), good_step(**overrides)
    )

    assert response.status_code == 422
    assert routine.steps.count() == 3


def test_it_explains_an_out_of_range_duration(client_logged_in, routine):
    response = client_logged_in.post(
        reverse("routines:step-add", args=[routine.pk]), good_step(duration_s="5000")
    )

    assert "at most 1800 seconds" in response.content.decode()


def test_it_answers_a_bad_htmx_step_with_the_fragment_and_its_errors(client_logged_in, routine):
    response = client_logged_in.post(
        reverse("routines:step-add", args=[routine.pk]),
        good_step(zone="moon"),
        headers=HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert html.lstrip().startswith('<div id="steps"')
    assert "That body zone does not exist." in html


def test_it_refuses_a_step_beyond_the_limit(client_logged_in, routine):
    for _ in range(MAX_STEPS - 3):
        add_step(routine, "light-stroking", "whole-back")

    response = client_logged_in.post(reverse("routines:step-add", args=[routine.pk]), good_step())

    assert response.status_code == 409
    assert routine.steps.count() == MAX_STEPS


def test_it_refuses_get_on_the_add_endpoint(client_logged_in, routine):
    response = client_logged_in.get(reverse("routines:step-add", args=[routine.pk]))

    assert response.status_code == 405


# --- Editing, removing, moving -----------------------------------------------------------------


def test_it_shows_the_edit_form_in_place(client_logged_in, routine):
    step = routine.steps.get(position=2)

    response = client_logged_in.get(step_url("step-edit", step), headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Edit step 2" in html
    assert '<option value="palm-rubbing" selected>' in html
    assert '<option value="whole-back" selected>' in html


def test_it_edits_a_step(client_logged_in, routine):
    step = routine.steps.get(position=2)

    response = client_logged_in.post(
        step_url("step-edit", step),
        good_step(technique="palm-rubbing", zone="thoracic", duration_s="150", note="Slowly"),
    )

    step.refresh_from_db()
    assert response.status_code == 302
    assert (step.zone.slug, step.duration_s, step.note) == ("thoracic", 150, "Slowly")


def test_it_keeps_a_step_unchanged_when_the_edit_is_invalid(client_logged_in, routine):
    step = routine.steps.get(position=2)

    response = client_logged_in.post(
        step_url("step-edit", step), good_step(zone="thoracic", duration_s="-1")
    )

    step.refresh_from_db()
    assert response.status_code == 422
    assert (step.zone.slug, step.duration_s) == ("whole-back", 60)


def test_it_removes_a_step_and_closes_the_gap(client_logged_in, routine):
    step = routine.steps.get(position=2)

    response = client_logged_in.post(step_url("step-delete", step))

    assert response.status_code == 302
    assert list(routine.steps.order_by("position").values_list("position", flat=True)) == [1, 2]
    assert order(routine) == ["light-stroking", "light-stroking"]


def test_it_removes_a_step_with_htmx(client_logged_in, routine):
    step = routine.steps.get(position=2)

    response = client_logged_in.post(step_url("step-delete", step), headers=HTMX)

    assert response.status_code == 200
    assert f'id="step-{step.pk}"' not in response.content.decode()


def test_it_moves_a_step_up(client_logged_in, routine):
    step = routine.steps.get(position=2)

    response = client_logged_in.post(step_url("step-move", step), {"to": "1"})

    assert response.status_code == 302
    assert order(routine) == ["palm-rubbing", "light-stroking", "light-stroking"]


def test_it_moves_a_step_to_a_position(client_logged_in, routine):
    step = routine.steps.get(position=2)

    response = client_logged_in.post(step_url("step-move", step), {"to": "3"}, headers=HTMX)

    assert response.status_code == 200
    assert order(routine) == ["light-stroking", "light-stroking", "palm-rubbing"]


@pytest.mark.parametrize("to", ["0", "4", "-1", "999999", "two", ""])
def test_it_refuses_an_impossible_position(client_logged_in, routine, to):
    step = routine.steps.get(position=2)

    response = client_logged_in.post(step_url("step-move", step), {"to": to})

    assert response.status_code == 422
    assert order(routine) == ["light-stroking", "palm-rubbing", "light-stroking"]


def test_it_says_which_positions_exist(client_logged_in, routine):
    step = routine.steps.get(position=2)

    response = client_logged_in.post(step_url("step-move", step), {"to": "9"})

    assert "between 1 and 3" in response.content.decode()


# --- Fixes -------------------------------------------------------------------------------------


def fix(client, routine, code, step=None, **kwargs):
    data = {"code": code} | ({"step": step.pk} if step else {})
    return client.post(reverse("routines:routine-fix", args=[routine.pk]), data, **kwargs)


def test_it_adds_an_opening_stroking_step(client_logged_in, library, user):
    routine = Routine.objects.create(owner=user, name="Rub first")
    first = add_step(routine, "palm-rubbing", "whole-back")
    add_step(routine, "light-stroking", "whole-back")

    response = fix(client_logged_in, routine, "add-opening-stroking", first)

    opening = routine.steps.get(position=1)
    assert response.status_code == 302
    assert order(routine) == ["light-stroking", "palm-rubbing", "light-stroking"]
    assert (opening.zone.slug, opening.duration_s, opening.direction) == (
        "whole-back",
        120,
        Direction.UP,
    )


def test_it_adds_a_closing_stroking_step(client_logged_in, library, user):
    routine = Routine.objects.create(owner=user, name="Rub last")
    add_step(routine, "light-stroking", "whole-back")
    last = add_step(routine, "palm-rubbing", "whole-back")

    response = fix(client_logged_in, routine, "add-closing-stroking", last, headers=HTMX)

    assert response.status_code == 200
    assert order(routine) == ["light-stroking", "palm-rubbing", "light-stroking"]


def test_it_strokes_downward_when_the_person_must_not_stroke_upward(
    client_logged_in, library, user
):
    declare(user, "hypertension", systolic=130)
    routine = Routine.objects.create(owner=user, name="Rub first")
    first = add_step(routine, "palm-rubbing", "whole-back", direction=Direction.DOWN)

    fix(client_logged_in, routine, "add-opening-stroking", first)

    assert routine.steps.get(position=1).direction == Direction.DOWN


def test_it_moves_a_step_off_the_spine(client_logged_in, routine):
    step = add_step(routine, "palm-rubbing", "spine")

    response = fix(client_logged_in, routine, "move-zone", step)

    step.refresh_from_db()
    assert response.status_code == 302
    assert step.zone.slug == "paravertebral"


def test_it_turns_a_step_downward(client_logged_in, routine, user):
    declare(user, "hypertension", systolic=130)
    step = routine.steps.get(position=2)

    response = fix(client_logged_in, routine, "direction-down", step)

    step.refresh_from_db()
    assert response.status_code == 302
    assert step.direction == Direction.DOWN


@pytest.mark.parametrize(
    ("zone", "intensity", "capped", "rule"),
    [
        # Only light work over the heart (004); no full force between the blades (002).
        ("heart-projection", Intensity.MODERATE, Intensity.GENTLE, "heart-no-intense"),
        ("interscapular", Intensity.INTENSE, Intensity.MODERATE, "interscapular-no-max-force"),
    ],
)
def test_a_capped_zone_offers_the_lower_intensity_and_the_step_takes_it(
    client_logged_in, routine, zone, intensity, capped, rule
):
    step = add_step(routine, "palm-rubbing", zone, intensity=intensity)
    page = client_logged_in.get(reverse("routines:builder", args=[routine.pk])).content.decode()
    assert "Lower this step to" in page

    response = fix(client_logged_in, routine, "lower-intensity", step)

    step.refresh_from_db()
    assert response.status_code == 302
    assert step.intensity == capped
    report = client_logged_in.get(reverse("routines:builder", args=[routine.pk])).context["report"]
    assert f"zone:{rule}" not in {f.code for f in report.findings}


def test_it_refuses_a_fix_the_engine_did_not_offer(client_logged_in, routine):
    step = routine.steps.get(position=2)

    response = fix(client_logged_in, routine, "move-zone", step)

    step.refresh_from_db()
    assert response.status_code == 409
    assert step.zone.slug == "whole-back"
    assert routine.steps.count() == 3


@pytest.mark.parametrize("data", [{"code": "delete-everything"}, {"code": ""}, {}])
def test_it_refuses_an_unknown_fix(client_logged_in, routine, data):
    response = client_logged_in.post(reverse("routines:routine-fix", args=[routine.pk]), data)

    assert response.status_code == 422
    assert routine.steps.count() == 3


def test_it_refuses_a_fix_for_a_step_of_another_routine(client_logged_in, routine, other_user):
    theirs = add_step(safe_routine(other_user, name="Theirs"), "palm-rubbing", "spine")

    response = fix(client_logged_in, routine, "move-zone", theirs)

    theirs.refresh_from_db()
    assert response.status_code == 422
    assert theirs.zone.slug == "spine"


# --- Query budgets -----------------------------------------------------------------------------


def grow(routine, extra_steps):
    for _ in range(extra_steps):
        add_step(routine, "palm-rubbing", "thoracic")
        add_step(routine, "tapping", "kidney-area")
        add_step(routine, "palm-rubbing", "spine")


def test_the_builder_needs_the_same_queries_for_ten_times_the_steps(
    client_logged_in, routine, user, django_assert_max_num_queries
):
    declare(user, "hypertension")
    grow(routine, 1)
    url = builder_url(routine)
    _, small = build_queries(client_logged_in, url, django_assert_max_num_queries, PERSONAL_BUILD)
    grow(routine, 9)
    _, large = build_queries(client_logged_in, url, django_assert_max_num_queries, PERSONAL_BUILD)

    assert large == small


def test_the_list_needs_the_same_queries_for_ten_times_the_routines(
    client_logged_in, routine, user, django_assert_max_num_queries
):
    grow(routine, 1)
    url = reverse("routines:routine-list")
    _, small = build_queries(client_logged_in, url, django_assert_max_num_queries, PERSONAL_BUILD)
    for number in range(9):
        grow(safe_routine(user, name=f"Routine {number}"), 1)
    _, large = build_queries(client_logged_in, url, django_assert_max_num_queries, PERSONAL_BUILD)

    assert large == small


# --- "Add to my routine" from a technique page -------------------------------------------------


def add_to(client, target, **overrides):
    data = good_step(technique="tapping", zone="kidney-area", routine=target.pk) | overrides
    return client.post(reverse("routines:step-add-to-routine"), data)


def test_it_adds_a_technique_to_a_chosen_routine(client_logged_in, routine):
    response = add_to(client_logged_in, routine)

    step = routine.steps.order_by("position").last()
    assert response.status_code == 302
    assert response.url == f"{builder_url(routine)}#step-{step.pk}"
    assert (step.technique.slug, step.zone.slug) == ("tapping", "kidney-area")


def test_it_refuses_to_add_to_another_persons_routine(client, routine, other_user):
    client.force_login(other_user)

    response = add_to(client, routine)

    assert response.status_code == 422
    assert "Choose one of your own routines." in response.content.decode()
    assert routine.steps.count() == 3


@pytest.mark.parametrize(
    "overrides", [{"routine": "999999"}, {"routine": "abc"}, {"duration_s": "-5"}]
)
def test_it_refuses_a_tampered_add_to_routine(client_logged_in, routine, overrides):
    response = add_to(client_logged_in, routine, **overrides)

    assert response.status_code == 422
    assert routine.steps.count() == 3


def test_adding_from_a_technique_page_needs_an_account(client, routine):
    response = add_to(client, routine)

    assert response.status_code == 302
    assert routine.steps.count() == 3


def render_add_to_routine(rf, user, routines):
    request = rf.get("/techniques/tapping/")
    request.user = user or AnonymousUser()
    context = {
        "technique": Technique.objects.get(slug="tapping"),
        "my_routines": routines,
        "step_zones": BodyZone.objects.targetable(),
        "user": request.user,
    }
    return render_to_string("routines/add_to_routine.html", context, request=request)


def test_the_technique_page_form_offers_my_routines_and_the_technique_intensity(rf, routine, user):
    html = render_add_to_routine(rf, user, Routine.objects.owned_by(user))

    assert f'<option value="{routine.pk}">Evening back</option>' in html
    assert 'name="technique" value="tapping"' in html
    assert f"{reverse('routines:step-add-to-routine')}" in html


def test_the_technique_page_invites_anonymous_people_to_log_in(rf, library):
    html = render_add_to_routine(rf, None, [])

    assert "Log in to add this to a routine" in html
    assert "<form" not in html


def test_the_technique_page_offers_to_add_it_to_my_routine(client_logged_in, routine):
    html = client_logged_in.get(reverse("routines:technique-detail", args=["tapping"])).content
    html = html.decode()

    assert f'action="{reverse("routines:step-add-to-routine")}"' in html
    assert f'<option value="{routine.pk}">Evening back</option>' in html


def test_the_technique_page_asks_anonymous_people_to_log_in(client, library):
    html = client.get(reverse("routines:technique-detail", args=["tapping"])).content.decode()

    assert "Log in to add this to a routine" in html


# --- Zones no step may aim at ------------------------------------------------------------------


class _Options(HTMLParser):
    """The options of a <select>: value -> its label, its <optgroup> and whether it is disabled."""

    def __init__(self, select_id: str):
        super().__init__()
        self.select_id, self.inside, self.group, self.current = select_id, False, None, None
        self.options: dict[str, dict] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.inside = attrs.get("id") == self.select_id
        elif self.inside and tag == "optgroup":
            self.group = attrs["label"]
        elif self.inside and tag == "option" and attrs["value"]:
            self.current = {"label": "", "group": self.group, "disabled": "disabled" in attrs}
            # The technique page lists a usual zone twice; its first place is kept.
            self.options.setdefault(attrs["value"], self.current)

    def handle_endtag(self, tag):
        if tag == "select":
            self.inside = False
        elif tag == "optgroup":
            self.group = None
        elif tag == "option":
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current["label"] += data


def zone_options(response, select_id: str) -> dict[str, dict]:
    parser = _Options(select_id)
    parser.feed(response.content.decode())
    return parser.options


def not_a_target():
    return list(BodyZone.objects.filter(is_targetable=False))


def engine_refusal(technique: str, zone: str):
    """What the engine itself answers for a step of `technique` on `zone`."""
    step = RoutineStep(
        position=1,
        technique=Technique.objects.get(slug=technique),
        zone=BodyZone.objects.get(slug=zone),
        intensity=Intensity.MODERATE,
        direction=Direction.STATIC,
        duration_s=90,
    )
    found = [f for f in check([step]).for_step(1) if f.severity == Severity.FORBIDDEN]
    assert found, f"the engine no longer refuses {technique} on {zone}"
    return found


def test_the_add_form_shows_the_spine_and_lymph_nodes_as_not_available_with_why(
    client_logged_in, routine
):
    options = zone_options(client_logged_in.get(builder_url(routine)), "add-zone")

    assert options["spine"] == {
        "label": "The spine itself – never massaged; work “Beside the spine” instead",
        "group": "Not available",
        "disabled": True,
    }
    assert options["lymph-axillary"] == {
        "label": "Armpits (lymph nodes) – never massaged",
        "group": "Not available",
        "disabled": True,
    }
    assert {"spine", "lymph-axillary", "lymph-inguinal", "lymph-popliteal", "lymph-cubital"} == {
        zone.slug for zone in not_a_target()
    }
    for zone in not_a_target():
        assert options[zone.slug]["disabled"], zone.slug
        assert options[zone.slug]["group"] == "Not available", zone.slug
        assert "never massaged" in options[zone.slug]["label"], zone.slug


def test_the_add_form_offers_every_other_zone_enabled(client_logged_in, routine):
    options = zone_options(client_logged_in.get(builder_url(routine)), "add-zone")

    for zone in BodyZone.objects.targetable():
        assert options[zone.slug] == {"label": zone.name, "group": None, "disabled": False}


def test_the_edit_form_marks_the_same_zones_not_available(client_logged_in, routine):
    step = routine.steps.get(position=2)

    response = client_logged_in.get(step_url("step-edit", step))

    options = zone_options(response, f"edit-{step.pk}-zone")
    assert options["spine"]["disabled"] and options["lymph-inguinal"]["disabled"]
    assert not options["whole-back"]["disabled"]


@pytest.mark.parametrize("zone", ["spine", "lymph-axillary"])
def test_a_crafted_step_on_such_a_zone_gets_the_engine_reason_and_nothing_is_saved(
    client_logged_in, routine, zone
):
    response = client_logged_in.post(
        reverse("routines:step-add", args=[routine.pk]), good_step(zone=zone)
    )

    html = response.content.decode()
    assert response.status_code == 422
    for finding in engine_refusal("kneading", zone):
        assert finding.message in html
        for source in finding.sources:
            assert source in html
    assert 'id="add-zone_error"' in html
    assert routine.steps.count() == 3


def test_a_crafted_htmx_step_on_the_spine_gets_the_fragment_with_the_reason(
    client_logged_in, routine
):
    response = client_logged_in.post(
        reverse("routines:step-add", args=[routine.pk]), good_step(zone="spine"), headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert html.lstrip().startswith('<div id="steps"')
    assert engine_refusal("kneading", "spine")[0].message in html
    assert routine.steps.count() == 3


def test_an_edit_that_moves_a_step_onto_the_spine_is_refused_and_keeps_the_step(
    client_logged_in, routine
):
    step = routine.steps.get(position=2)

    response = client_logged_in.post(step_url("step-edit", step), good_step(zone="spine"))

    step.refresh_from_db()
    assert response.status_code == 422
    assert engine_refusal("kneading", "spine")[0].message in response.content.decode()
    assert (step.technique.slug, step.zone.slug) == ("palm-rubbing", "whole-back")


def test_the_zone_picker_needs_no_query_per_zone(
    client_logged_in, routine, django_assert_max_num_queries
):
    url = builder_url(routine)
    _, few = build_queries(client_logged_in, url, django_assert_max_num_queries, PERSONAL_BUILD)
    instead = BodyZone.objects.get(slug="paravertebral")
    for number in range(10):
        ZoneFactory(slug=f"bony-ridge-{number}", is_targetable=False, instead=instead)
    announce_changes()  # as the admin edit that adds a zone does
    response, many = build_queries(
        client_logged_in, url, django_assert_max_num_queries, PERSONAL_BUILD
    )

    assert zone_options(response, "add-zone")["bony-ridge-9"]["disabled"]
    assert many == few


def test_the_technique_page_shows_the_same_zones_as_not_available(client_logged_in, routine):
    response = client_logged_in.get(reverse("routines:technique-detail", args=["tapping"]))

    options = zone_options(response, "add-to-zone")
    assert options["spine"] == {
        "label": "The spine itself – never massaged; work “Beside the spine” instead",
        "group": "Not available",
        "disabled": True,
    }
    for zone in not_a_target():
        assert options[zone.slug]["disabled"], zone.slug
        assert options[zone.slug]["group"] == "Not available", zone.slug
    for zone in BodyZone.objects.targetable():
        assert not options[zone.slug]["disabled"], zone.slug


@pytest.mark.parametrize("zone", ["spine", "lymph-inguinal"])
def test_a_crafted_add_from_the_technique_page_gets_the_engine_reason_and_saves_nothing(
    client_logged_in, routine, zone
):
    response = add_to(client_logged_in, routine, zone=zone)

    html = response.content.decode()
    assert response.status_code == 422
    for finding in engine_refusal("tapping", zone):
        assert finding.message in html
        for source in finding.sources:
            assert source in html
    assert routine.steps.count() == 3
