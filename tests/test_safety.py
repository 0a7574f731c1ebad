"""One test per safety rule, named after the rule, citing the source it comes from.

The rules are data (routines/content/*.toml) read by one engine (routines/safety.py); these tests
load the real library and ask the engine exactly as the builder, planner and session page do.
"""

import datetime as dt
from dataclasses import dataclass

import pytest

from routines.models import (
    BodyZone,
    Contraindication,
    DeclaredCondition,
    Intensity,
    Routine,
    Screening,
    Severity,
    Technique,
)
from routines.safety import (
    Fix,
    Person,
    RuleBook,
    active_conditions,
    check,
    mild_pain_allowance,
    repair,
)

S000 = "000_c9d1c14d166b50cd.txt"
S001 = "001_41fec4d5656dcbf4.txt"
S002 = "002_8d9f8d67dee089ad.txt"
S003 = "003_b1d25f8055cbe56c.txt"
S004 = "004_bc8b1b57dafa8bba.txt"

GENTLE, MODERATE, INTENSE = Intensity.GENTLE, Intensity.MODERATE, Intensity.INTENSE

pytestmark = pytest.mark.usefixtures("library")


@dataclass
class Step:
    technique: Technique
    zone: BodyZone
    intensity: int = GENTLE
    duration_s: int = 60
    reps: int | None = None
    direction: str = "bottom_to_top"
    position: int = 0


def step(technique, zone, intensity=GENTLE, **kw) -> Step:
    return Step(
        Technique.objects.select_related("category").get(slug=technique),
        BodyZone.objects.get(slug=zone),
        intensity,
        **kw,
    )


def session(*middle: Step, opening=True, closing=True) -> list[Step]:
    """The steps between an opening and a closing stroking, numbered from 1."""
    steps = list(middle)
    if opening:
        steps.insert(0, step("light-stroking", "whole-back", direction="top_to_bottom"))
    if closing:
        steps.append(step("light-stroking", "whole-back", direction="top_to_bottom"))
    for position, s in enumerate(steps, start=1):
        s.position = position
    return steps


def conditions(*slugs):
    return list(Contraindication.objects.filter(slug__in=slugs))


def run(steps, *slugs, systolic=None, **kw):
    """The engine on the day of a session: `systolic` is today's reading."""
    person = Person(tuple(conditions(*slugs)), systolic_today=systolic, on_the_day=True)
    return check(steps, person, rules=RuleBook.load(), **kw)


def finding(report, code, position=None):
    matches = [
        f for f in report.findings if f.code == code and (position is None or f.step == position)
    ]
    assert matches, f"{code} not found in {[f.code for f in report.findings]}"
    return matches[0]


def assert_cites(f, *sources):
    for source in sources:
        assert source in f.sources


def codes(report):
    return {f.code for f in report.findings}


# --- Zone rules: kidney area (seeds 002, 004) -----------------------------------------------------


def test_kidney_no_percussion_refuses_tapping_over_the_kidneys():
    report = run(session(step("tapping", "kidney-area")))
    f = finding(report, "zone:kidney-no-percussion", 2)
    assert f.severity == Severity.FORBIDDEN
    assert_cites(f, S002)
    assert not report.can_start


def test_kidney_no_vibration_refuses_vibration_over_the_kidneys():
    f = finding(run(session(step("vibration", "kidney-area"))), "zone:kidney-no-vibration", 2)
    assert f.severity == Severity.FORBIDDEN
    assert_cites(f, S002)


def test_kidney_no_kneading_refuses_kneading_over_the_kidneys():
    f = finding(run(session(step("kneading", "kidney-area"))), "zone:kidney-no-kneading", 2)
    assert f.severity == Severity.FORBIDDEN
    assert_cites(f, S002)


def test_kidney_no_pressure_refuses_hard_pressing_over_the_kidneys():
    report = run(session(step("paravertebral-pressure", "kidney-area")))
    f = finding(report, "zone:kidney-no-pressure", 2)
    assert f.severity == Severity.FORBIDDEN
    assert_cites(f, S002)


def test_kidney_no_cupping_keeps_jars_off_the_kidneys():
    f = finding(run(session(step("cupping", "kidney-area"))), "zone:kidney-no-cupping", 2)
    assert f.severity == Severity.FORBIDDEN
    assert_cites(f, S002)


def test_kidney_no_intense_refuses_intense_rubbing_over_the_kidneys():
    report = run(
        session(step("palm-rubbing", "lumbar"), step("palm-rubbing", "kidney-area", INTENSE))
    )
    f = finding(report, "zone:kidney-no-intense", 3)
    assert f.severity == Severity.FORBIDDEN
    assert_cites(f, S004)


def test_kidney_gentle_only_cautions_moderate_stroking():
    report = run(session(step("light-stroking", "kidney-area", MODERATE)))
    f = finding(report, "zone:kidney-gentle-only", 2)
    assert f.severity == Severity.CAUTION
    assert_cites(f, S002)


def test_kidney_stroking_light_allows_gentle_stroking_with_a_caution():
    report = run(session(step("light-stroking", "kidney-area")))
    assert finding(report, "zone:kidney-stroking-light", 2).severity == Severity.CAUTION
    assert report.can_start


def test_kidney_rubbing_light_allows_gentle_rubbing_with_a_caution():
    report = run(session(step("palm-rubbing", "kidney-area")))
    assert finding(report, "zone:kidney-rubbing-light", 2).severity == Severity.CAUTION
    assert report.can_start


def test_kidney_self_massage_light_cautions_self_massage_over_the_kidneys():
    report = run(session(step("reception-1-heat-transfer", "kidney-area")))
    f = finding(report, "zone:kidney-self-massage-light", 2)
    assert f.severity == Severity.CAUTION
    assert_cites(f, S002)


def test_kidney_rules_also_reach_a_step_on_the_kidney_area_only_not_the_whole_lumbar():
    report = run(session(step("tapping", "lumbar")))
    assert not any(c.startswith("zone:kidney") for c in codes(report))


# --- Zone rules: spine and the strips beside it (seeds 002, 003) ----------------------------------


def test_spine_never_target_refuses_any_step_on_the_spine_and_offers_the_strips():
    report = run(session(step("light-stroking", "spine")))
    f = finding(report, "zone:spine-never-target", 2)
    assert f.severity == Severity.FORBIDDEN
    assert f.fix == Fix.MOVE_ZONE
    assert "beside the spine" in f.fix_label.lower() or "paravertebral" in f.fix_label.lower()
    assert_cites(f, S002)


def test_paravertebral_rubbing_small_circles_cautions_rubbing_beside_the_spine():
    report = run(session(step("palm-rubbing", "paravertebral")))
    f = finding(report, "zone:paravertebral-rubbing-small-circles", 2)
    assert f.severity == Severity.CAUTION
    assert_cites(f, S002)


def test_paravertebral_pressure_beside_cautions_gentle_pressure_beside_the_spine():
    report = run(session(step("paravertebral-pressure", "paravertebral")))
    assert finding(report, "zone:paravertebral-pressure-beside", 2).severity == Severity.CAUTION
    assert report.can_start


def test_paravertebral_no_strong_pressure_refuses_intense_pressure_along_the_spine():
    report = run(
        session(
            step("palm-rubbing", "lumbar"), step("paravertebral-pressure", "paravertebral", INTENSE)
        )
    )
    f = finding(report, "zone:paravertebral-no-strong-pressure", 3)
    assert f.severity == Severity.FORBIDDEN
    assert_cites(f, S003)


def test_paravertebral_intense_care_cautions_intense_rubbing_beside_the_spine():
    report = run(
        session(step("palm-rubbing", "lumbar"), step("palm-rubbing", "paravertebral", INTENSE))
    )
    assert finding(report, "zone:paravertebral-intense-care", 3).severity == Severity.CAUTION


# --- Zone rules: heart projection (seeds 002, 004) ------------------------------------------------


def test_heart_no_vibration_refuses_vibration_over_the_heart():
    f = finding(run(session(step("vibration", "heart-projection"))), "zone:heart-no-vibration", 2)
    assert f.severity == Severity.FORBIDDEN
    assert_cites(f, S002)


def test_heart_no_intense_refuses_intense_work_over_the_heart():
    report = run(
        session(step("palm-rubbing", "lumbar"), step("palm-rubbing", "heart-projection", INTENSE))
    )
    f = finding(report, "zone:heart-no-intense", 3)
    assert f.severity == Severity.FORBIDDEN
    assert_cites(f, S004)


def test_heart_no_intense_caps_every_step_at_gentle_with_a_certain_fix():
    # Only light work over the heart (004): a moderate step is refused, and lowering it is certain.
    steps = session(
        step("palm-rubbing", "lumbar"), step("palm-rubbing", "heart-projection", MODERATE)
    )
    f = finding(run(steps), "zone:heart-no-intense", 3)
    assert f.severity == Severity.FORBIDDEN
    assert f.fix == Fix.LOWER_INTENSITY
    assert_cites(f, S004)

    repair(steps[2], f.fix, RuleBook.load())

    assert steps[2].intensity == GENTLE
    assert "zone:heart-no-intense" not in codes(run(steps))


def test_heart_light_mode_cautions_any_work_over_the_heart():
    report = run(session(step("light-stroking", "heart-projection")))
    f = finding(report, "zone:heart-light-mode", 2)
    assert f.severity == Severity.CAUTION
    assert_cites(f, S004)


# --- Zone rules: between the shoulder blades, neck (seeds 002, 003) -------------------------------


def test_interscapular_no_max_force_caps_intense_work_between_the_blades_at_moderate():
    steps = session(step("palm-rubbing", "lumbar"), step("palm-rubbing", "interscapular", INTENSE))
    f = finding(run(steps), "zone:interscapular-no-max-force", 3)
    assert f.severity == Severity.FORBIDDEN
    assert f.fix == Fix.LOWER_INTENSITY
    assert_cites(f, S002)

    repair(steps[2], f.fix, RuleBook.load())

    assert steps[2].intensity == MODERATE
    assert run(steps).can_start


def test_interscapular_no_max_force_stays_quiet_for_gentle_work():
    report = run(session(step("palm-rubbing", "interscapular")))
    assert "zone:interscapular-no-max-force" not in codes(report)


def test_neck_handle_with_care_cautions_every_neck_step():
    f = finding(run(session(step("palm-rubbing", "neck"))), "zone:neck-handle-with-care", 2)
    assert f.severity == Severity.CAUTION
    assert_cites(f, S003)


def test_neck_no_intense_cautions_intense_neck_work():
    report = run(session(step("palm-rubbing", "lumbar"), step("palm-rubbing", "neck", INTENSE)))
    assert finding(report, "zone:neck-no-intense", 3).severity in {
        Severity.CAUTION,
        Severity.FORBIDDEN,
    }


# --- Zone rules: lymph-node areas (seeds 002, 003) ------------------------------------------------


@pytest.mark.parametrize(
    "zone", ["lymph-axillary", "lymph-inguinal", "lymph-popliteal", "lymph-cubital"]
)
def test_lymph_off_limits_refuses_any_step_on_a_lymph_node_area(zone):
    report = run(session(step("light-stroking", zone)))
    f = finding(report, f"zone:{zone}-off-limits", 2)
    assert f.severity == Severity.FORBIDDEN
    assert_cites(f, S002)


# --- Condition rules: absolute and temporary contraindications (section 3) ------------------------

ABSOLUTE = [
    "oncology",
    "tuberculosis",
    "blood-disorder",
    "bleeding",
    "vessel-disease",
    "lymph-node-disease",
    "mental-disorder",
    "std",
    "infectious-skin-disease",
    "skin-inflammation",
    "purulent-process",
    "osteomyelitis",
    "serious-spinal-injury",
    "severe-infection",
]
TEMPORARY = [
    "pregnancy",
    "kidney-stones",
    "gallstones",
    "menstruation",
    "fever",
    "acute-inflammation",
    "exacerbation",
    "fresh-injury",
    "burns",
    "acute-pain",
    "unexplained-back-pain",
    "inflamed-lymph-nodes",
    "allergic-rash",
]


@pytest.mark.parametrize("slug", ABSOLUTE)
def test_absolute_contraindication_blocks_every_session(slug):
    report = run(session(), slug)
    f = finding(report, f"condition:{slug}-block")
    assert f.severity == Severity.BLOCK
    assert f.step is None and f.sources
    assert not report.can_start


@pytest.mark.parametrize("slug", TEMPORARY)
def test_temporary_contraindication_postpones_the_session(slug):
    report = run(session(), slug)
    f = finding(report, f"condition:{slug}-postpone")
    assert f.severity == Severity.POSTPONE
    assert not report.can_start


def test_temporary_condition_past_its_end_date_no_longer_applies(user):
    screening = Screening.objects.create(user=user)
    DeclaredCondition.objects.create(
        screening=screening,
        until=dt.date(2026, 11, 20),
        condition=Contraindication.objects.get(slug="fever"),
    )
    assert active_conditions(screening, dt.date(2026, 11, 20))
    assert active_conditions(screening, dt.date(2026, 11, 21)) == []


# --- Condition rules: hypertension (seeds 002, 004) -----------------------------------------------


def test_hypertension_bp_over_160_postpones_the_session_above_160():
    report = run(session(), "hypertension", systolic=161)
    f = finding(report, "condition:hypertension-bp-over-160")
    assert f.severity == Severity.POSTPONE
    assert_cites(f, S002)
    assert not report.can_start


def test_hypertension_bp_over_160_allows_a_reading_of_160():
    report = run(session(), "hypertension", systolic=160)
    assert "condition:hypertension-bp-over-160" not in codes(report)
    assert report.can_start


def test_hypertension_bp_over_160_needs_todays_reading_before_a_session_starts():
    report = run(session(), "hypertension")
    f = finding(report, "condition:hypertension-bp-over-160:unmeasured")
    assert f.severity == Severity.POSTPONE
    assert_cites(f, S002)
    assert not report.can_start


def test_hypertension_bp_over_160_while_planning_asks_to_measure_on_the_day():
    planning = Person(tuple(conditions("hypertension")))
    report = check(session(), planning, rules=RuleBook.load())
    assert finding(report, "condition:hypertension-bp-over-160:unmeasured").severity == "caution"
    assert report.can_start


def test_hypertension_bp_over_160_while_planning_warns_when_the_usual_reading_is_above():
    planning = Person(tuple(conditions("hypertension")), usual_systolic=170)
    report = check(session(), planning, rules=RuleBook.load())
    f = finding(report, "condition:hypertension-bp-over-160:unmeasured")
    assert f.severity == Severity.CAUTION
    assert "170" in f.message


def test_hypertension_no_vibration_refuses_vibration():
    report = run(
        session(step("vibration", "paravertebral", direction="top_to_bottom")),
        "hypertension",
        systolic=130,
    )
    f = finding(report, "condition:hypertension-no-vibration", 2)
    assert f.severity == Severity.FORBIDDEN
    assert_cites(f, S002)


def test_hypertension_no_percussion_refuses_the_closing_tapping():
    report = run(
        session(step("tapping", "buttocks", direction="top_to_bottom")),
        "hypertension",
        systolic=130,
    )
    f = finding(report, "condition:hypertension-no-percussion", 2)
    assert f.severity == Severity.FORBIDDEN
    assert_cites(f, S002)


def test_hypertension_downward_only_refuses_upward_strokes_and_offers_the_fix():
    report = run(
        session(step("palm-rubbing", "lumbar", direction="bottom_to_top")),
        "hypertension",
        systolic=130,
    )
    f = finding(report, "condition:hypertension-downward-only", 2)
    assert f.severity == Severity.FORBIDDEN
    assert f.fix == Fix.DIRECTION_DOWN
    assert_cites(f, S002)


@pytest.mark.parametrize("direction", ["circular", "spine_to_sides", "up_and_down", "any"])
def test_hypertension_downward_only_turns_circles_and_strokes_to_the_sides_too(direction):
    """002: with high blood pressure *every* movement runs from the neck toward the tailbone,
    circular rubbing and planing from the spine to the sides included."""
    report = run(
        session(step("fist-rubbing", "lumbar", direction=direction)),
        "hypertension",
        systolic=130,
    )
    f = finding(report, "condition:hypertension-downward-only", 2)
    assert f.severity == Severity.FORBIDDEN
    assert f.fix == Fix.DIRECTION_DOWN
    assert_cites(f, S002)


def test_hypertension_downward_only_accepts_holds_and_neck_to_tailbone():
    report = run(
        session(
            step("crossed-palm-heat", "lumbar", direction="static"),
            step("palm-rubbing", "lumbar", direction="top_to_bottom"),
            opening=False,
        ),
        "hypertension",
        systolic=130,
    )
    assert "condition:hypertension-downward-only" not in codes(report)


def test_hypertension_honey_limited_cautions_honey_massage():
    report = run(
        session(step("honey-massage", "lumbar", direction="top_to_bottom")),
        "hypertension",
        systolic=130,
    )
    assert finding(report, "condition:hypertension-honey-limited", 2).severity == "caution"


def test_hypertension_doctor_first_notes_that_one_source_forbids_massage_altogether():
    f = finding(run(session(), "hypertension", systolic=120), "condition:hypertension-doctor-first")
    assert f.severity == Severity.CAUTION
    assert_cites(f, S004)


# --- Condition rules: cupping, honey and product allergy (seed 002) ------------------------------


@pytest.mark.parametrize(
    "slug", ["pregnancy", "fever", "allergic-rash", "blood-disorder", "oncology"]
)
def test_no_cupping_refuses_jars_for_the_conditions_seed_002_names(slug):
    report = run(session(step("cupping", "lumbar")), slug)
    f = finding(report, f"condition:{slug}-no-cupping", 2)
    assert f.severity == Severity.FORBIDDEN
    assert_cites(f, S002)


def test_no_cupping_rule_leaves_stroking_alone():
    report = run(session(step("palm-rubbing", "lumbar")), "allergic-rash")
    assert "condition:allergic-rash-no-cupping" not in codes(report)


def test_product_allergy_no_honey_refuses_honey_massage():
    report = run(session(step("honey-massage", "lumbar")), "product-allergy")
    assert finding(report, "condition:product-allergy-no-honey", 2).severity == "forbidden"


def test_product_allergy_test_products_cautions_to_test_every_oil():
    report = run(session(), "product-allergy")
    f = finding(report, "condition:product-allergy-test-products")
    assert f.severity == Severity.CAUTION
    assert report.can_start


# --- Condition rules: osteochondrosis, hernia, lymph nodes (seeds 000, 003, 004) -----------------


def test_osteochondrosis_15_minutes_cautions_a_longer_routine():
    long = session(step("palm-rubbing", "lumbar", duration_s=1200))
    f = finding(run(long, "osteochondrosis"), "condition:osteochondrosis-15-minutes")
    assert f.severity == Severity.CAUTION
    assert_cites(f, S003)


def test_osteochondrosis_15_minutes_stays_quiet_for_a_short_routine():
    report = run(session(step("palm-rubbing", "lumbar", duration_s=300)), "osteochondrosis")
    assert "condition:osteochondrosis-15-minutes" not in codes(report)


def test_osteochondrosis_specialist_clearance_is_a_caution():
    report = run(session(), "osteochondrosis")
    assert finding(report, "condition:osteochondrosis-specialist-clearance").severity == "caution"


def test_hernia_doctor_prescription_is_a_caution_citing_its_sources():
    f = finding(run(session(), "hernia"), "condition:hernia-doctor-prescription")
    assert f.severity == Severity.CAUTION
    assert_cites(f, S000)


def test_inflamed_lymph_nodes_avoid_after_reminds_to_keep_off_the_nodes():
    report = run(session(), "inflamed-lymph-nodes")
    assert finding(report, "condition:inflamed-lymph-nodes-avoid-after").severity == "caution"


# --- Structure rules (seeds 000-004) --------------------------------------------------------------


def test_stroking_first_cautions_a_session_that_opens_with_rubbing_and_offers_the_fix():
    report = run(session(step("palm-rubbing", "lumbar"), opening=False))
    f = finding(report, "stroking-first", 1)
    assert f.severity == Severity.CAUTION and f.fix == Fix.ADD_OPENING_STROKING
    assert_cites(f, S000, S002)


def test_stroking_last_cautions_a_session_that_ends_with_tapping_and_offers_the_fix():
    report = run(session(step("tapping", "buttocks"), closing=False))
    f = finding(report, "stroking-last", 2)
    assert f.severity == Severity.CAUTION and f.fix == Fix.ADD_CLOSING_STROKING


def test_warm_up_first_refuses_intense_work_before_any_warming_step():
    report = run(session(step("kneading", "lumbar", INTENSE), opening=False))
    f = finding(report, "warm-up-first", 1)
    assert f.severity == Severity.FORBIDDEN
    assert_cites(f, S002)


def test_warm_up_first_accepts_intense_work_after_stroking():
    report = run(session(step("kneading", "lumbar", INTENSE)))
    assert "warm-up-first" not in codes(report)


def test_percussion_over_5_minutes_refuses_the_step_that_crosses_5_minutes():
    report = run(
        session(
            step("tapping", "buttocks", duration_s=200),
            step("chopping", "buttocks", duration_s=101),
        )
    )
    f = finding(report, "percussion-over-5-minutes", 3)
    assert f.severity == Severity.FORBIDDEN
    assert_cites(f, S002)


def test_percussion_over_5_minutes_accepts_exactly_5_minutes():
    report = run(
        session(
            step("tapping", "buttocks", duration_s=200),
            step("chopping", "buttocks", duration_s=100),
        )
    )
    assert "percussion-over-5-minutes" not in codes(report)


def test_step_too_long_refuses_outer_palm_circles_beyond_one_minute():
    report = run(session(step("outer-palm-circles", "paravertebral", duration_s=90)))
    f = finding(report, "step-too-long", 2)
    assert f.severity == Severity.FORBIDDEN
    assert_cites(f, S000)


def test_step_too_many_reps_refuses_reception_1_beyond_seven_times():
    report = run(session(step("reception-1-heat-transfer", "lumbar", reps=8)))
    assert finding(report, "step-too-many-reps", 2).severity == Severity.FORBIDDEN


def test_needs_training_cautions_acupressure():
    report = run(session(step("acupressure", "lumbar")))
    assert finding(report, "needs-training", 2).severity == Severity.CAUTION


def test_routine_empty_cannot_start():
    report = run([])
    assert finding(report, "routine-empty").severity == Severity.FORBIDDEN
    assert not report.can_start


# --- Work that must follow other work: cupping, honey (seeds 002, 004) --------------------------


def test_cupping_after_stroking_and_rubbing_refuses_a_jar_after_stroking_alone():
    """002, 004: the jar is preceded by stroking and then rubbing."""
    report = run(session(step("cupping", "lumbar")))
    f = finding(report, "cupping-after-stroking-and-rubbing", 2)
    assert f.severity == Severity.FORBIDDEN
    assert f.fix == Fix.ADD_WARM_UP_BEFORE
    assert "rubbing" in f.message and "stroking" not in f.fix_label
    assert_cites(f, S002, S004)
    assert not report.can_start


def test_cupping_after_stroking_and_rubbing_refuses_a_jar_as_the_first_step():
    report = run(session(step("cupping", "lumbar"), opening=False))
    f = finding(report, "cupping-after-stroking-and-rubbing", 1)
    assert f.fix_label == "Add stroking and rubbing before this step"


def test_cupping_after_stroking_and_rubbing_accepts_stroking_then_rubbing_then_the_jar():
    report = run(session(step("palm-rubbing", "lumbar"), step("cupping", "lumbar")))
    assert "cupping-after-stroking-and-rubbing" not in codes(report)


def test_honey_after_classic_or_cupping_refuses_honey_as_the_first_step():
    """002: honey massage is done after a classic or cupping massage, on warm skin."""
    report = run(session(step("honey-massage", "lumbar"), opening=False))
    f = finding(report, "honey-after-classic-or-cupping", 1)
    assert f.severity == Severity.FORBIDDEN and f.fix == Fix.ADD_WARM_UP_BEFORE
    assert_cites(f, S002)


def test_honey_after_classic_or_cupping_refuses_honey_after_stroking_alone():
    report = run(session(step("honey-massage", "lumbar")))
    assert finding(report, "honey-after-classic-or-cupping", 2).fix_label == (
        "Add rubbing before this step"
    )


@pytest.mark.parametrize("before", ["kneading", "palm-rubbing"])
def test_honey_after_classic_or_cupping_accepts_honey_after_classic_work(before):
    report = run(session(step(before, "lumbar"), step("honey-massage", "lumbar")))
    assert "honey-after-classic-or-cupping" not in codes(report)


def test_honey_after_classic_or_cupping_accepts_honey_after_the_jar():
    report = run(
        session(
            step("palm-rubbing", "lumbar"),
            step("cupping", "lumbar"),
            step("honey-massage", "lumbar"),
        )
    )
    assert "honey-after-classic-or-cupping" not in codes(report)


def test_cupping_mild_pain_ok_lets_a_mild_ache_under_the_jar_be_borne():
    """002 (brief 1.7, 3.4): mild pain is tolerated with cupping; stop when it becomes severe."""
    jar = Technique.objects.get(slug="cupping")
    allowance = mild_pain_allowance(jar)
    assert allowance.code == "cupping-mild-pain-ok"
    assert "severe, stop" in allowance.message
    assert_cites(allowance, S002)


@pytest.mark.parametrize("slug", ["light-stroking", "kneading", "honey-massage", "tapping"])
def test_cupping_mild_pain_ok_holds_for_the_jar_only(slug):
    assert mild_pain_allowance(Technique.objects.get(slug=slug)) is None


# --- A technique's own intensity (seeds 000, 002) ------------------------------------------------


def test_technique_intensity_cap_keeps_reception_4_gentle():
    """002: reception 4 is done without pressure, as carefully as possible; it must not hurt."""
    report = run(session(step("reception-4-fists", "lumbar", MODERATE)))
    f = finding(report, "technique-intensity-cap", 2)
    assert f.severity == Severity.FORBIDDEN
    assert f.fix == Fix.LOWER_INTENSITY and f.fix_label == "Lower this step to gentle"
    assert_cites(f, S002)


def test_technique_intensity_cap_repair_lowers_reception_4_to_gentle():
    fists = step("reception-4-fists", "lumbar", INTENSE)
    repair(fists, Fix.LOWER_INTENSITY, RuleBook.load())
    assert fists.intensity == GENTLE
    assert "technique-intensity-cap" not in codes(run(session(fists)))


# --- Course progression (seeds 000, 002) ----------------------------------------------------------


def course_context(index):
    return RuleBook.load().course_context(index)


def test_course_category_not_yet_refuses_kneading_in_session_1():
    report = run(session(step("kneading", "lumbar")), course=course_context(1))
    f = finding(report, "course-category-not-yet", 2)
    assert f.severity == Severity.FORBIDDEN
    assert_cites(f, S000)


def test_course_category_not_yet_allows_kneading_from_session_2():
    report = run(session(step("kneading", "lumbar", MODERATE)), course=course_context(2))
    assert "course-category-not-yet" not in codes(report)


def test_course_intensity_cap_keeps_session_1_gentle():
    report = run(session(step("light-stroking", "lumbar", MODERATE)), course=course_context(1))
    assert finding(report, "course-intensity-cap", 2).severity == Severity.FORBIDDEN


def test_course_too_long_cautions_a_first_session_of_half_an_hour():
    report = run(
        session(step("light-stroking", "lumbar", duration_s=1800)), course=course_context(1)
    )
    assert finding(report, "course-too-long").severity == Severity.CAUTION


def test_course_ramp_grows_to_at_most_40_minutes():
    minutes = [course_context(i).target_minutes for i in range(1, 16)]
    assert minutes[0] == 10 and minutes[1] == 20
    assert minutes == sorted(minutes) and max(minutes) == 40


# --- The ready-made routines themselves ----------------------------------------------------------


@pytest.mark.parametrize(
    "slug",
    [
        "home-spinal-11-step",
        "lumbar-protocol",
        "timed-relaxing-sequence",
        "classic-therapeutic",
        "relaxing-20-minutes",
        "home-lower-back",
        "self-massage-receptions",
        "neck-self-massage",
        "self-massage-lumbar",
        "wellness-30-minutes",
        "whole-body-self-massage",
    ],
)
def test_ready_made_routine_can_start_for_a_person_without_conditions(slug):
    """Named one by one, so a routine that disappears from the library fails here too."""
    routine = Routine.objects.ready_made().get(slug=slug)
    report = check(list(routine.ordered_steps()), rules=RuleBook.load())
    assert report.can_start, [f.message for f in report.blocking]


def test_the_engine_needs_the_same_queries_for_many_over_long_steps(
    django_assert_max_num_queries,
):
    few = session(step("outer-palm-circles", "paravertebral", duration_s=90))
    many = session(*[step("outer-palm-circles", "paravertebral", duration_s=90) for _ in range(10)])
    # Each with the rule book read afresh, as after a new library version.
    RuleBook.forget()
    with django_assert_max_num_queries(10) as small:
        check(few, rules=RuleBook.load())
    RuleBook.forget()
    with django_assert_max_num_queries(10) as large:
        check(many, rules=RuleBook.load())
    assert len(large.captured_queries) == len(small.captured_queries)
