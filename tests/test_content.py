"""Invariants of the authored library: complete, cited, consistent, and loaded idempotently."""

import pytest
from django.core.management import call_command

from routines.models import (
    BodyZone,
    ConditionRule,
    Contraindication,
    MassageType,
    PrepItem,
    ProgressionRule,
    Routine,
    RoutineStep,
    Source,
    Technique,
    TechniqueCategory,
    ZoneRule,
)

pytestmark = pytest.mark.usefixtures("library")

SEEDS = {
    "000_c9d1c14d166b50cd.txt",
    "001_41fec4d5656dcbf4.txt",
    "002_8d9f8d67dee089ad.txt",
    "003_b1d25f8055cbe56c.txt",
    "004_bc8b1b57dafa8bba.txt",
}
CITED = [
    TechniqueCategory,
    MassageType,
    BodyZone,
    Technique,
    Contraindication,
    ZoneRule,
    ConditionRule,
    ProgressionRule,
    PrepItem,
]


def test_the_five_source_articles_are_the_only_sources():
    assert set(Source.objects.values_list("file_name", flat=True)) == SEEDS


@pytest.mark.parametrize("model", CITED, ids=lambda m: m.__name__)
def test_every_catalogue_item_and_rule_cites_a_source(model):
    uncited = model.objects.filter(sources__isnull=True)
    assert not uncited.exists(), list(uncited)


def test_every_ready_made_routine_cites_a_source():
    assert not Routine.objects.ready_made().filter(sources__isnull=True).exists()


def test_every_technique_of_brief_section_1_is_in_the_library():
    assert Technique.objects.count() == 57
    assert TechniqueCategory.objects.count() == 8
    for category in TechniqueCategory.objects.all():
        assert category.techniques.exists(), category


def test_every_zone_of_brief_section_2_is_in_the_library():
    required = {
        "kidney-area",
        "spine",
        "paravertebral",
        "heart-projection",
        "interscapular",
        "lymph-axillary",
        "lymph-inguinal",
        "lymph-popliteal",
        "lymph-cubital",
        "neck",
        "collar",
        "shoulders",
        "shoulder-blades",
        "thoracic",
        "lumbar",
        "sacrum",
        "buttocks",
        "sides",
    }
    assert required <= set(BodyZone.objects.values_list("slug", flat=True))


def test_the_spine_and_lymph_areas_are_never_targets():
    never = set(BodyZone.objects.filter(is_targetable=False).values_list("slug", flat=True))
    assert {
        "spine",
        "lymph-axillary",
        "lymph-inguinal",
        "lymph-popliteal",
        "lymph-cubital",
    } <= never
    assert BodyZone.objects.get(slug="spine").instead.slug == "paravertebral"


def test_all_29_contraindications_of_section_3_are_present_with_their_kinds():
    codes = set(Contraindication.objects.exclude(code="").values_list("code", flat=True))
    assert {f"C{n:02d}" for n in range(1, 30)} <= codes
    kinds = dict(Contraindication.objects.values_list("slug", "kind"))
    assert kinds["oncology"] == "absolute"
    assert kinds["fever"] == "temporary"
    assert kinds["hypertension"] == "conditional"


def test_every_absolute_condition_blocks_and_every_temporary_one_postpones():
    for condition in Contraindication.objects.prefetch_related("rules"):
        effects = {rule.effect for rule in condition.rules.all()}
        if condition.kind == Contraindication.Kind.ABSOLUTE:
            assert "block" in effects, condition
        if condition.kind == Contraindication.Kind.TEMPORARY:
            assert "postpone" in effects, condition


def test_every_forbidden_massage_type_has_a_technique_of_its_own_for_the_engine_to_catch():
    for rule in ConditionRule.objects.filter(effect="forbid_type"):
        own = [
            t
            for t in rule.massage_type.techniques.prefetch_related("massage_types")
            if {mt.pk for mt in t.massage_types.all()} == {rule.massage_type_id}
        ]
        assert own, rule.code


def test_no_typical_zone_of_a_technique_is_a_zone_it_is_forbidden_on():
    for rule in ZoneRule.objects.filter(severity="forbidden", min_intensity__isnull=True):
        clash = Technique.objects.filter(typical_zones=rule.zone)
        if not rule.applies_to_all:
            clash = (
                clash.filter(category=rule.category)
                if rule.category_id
                else clash.filter(pk=rule.technique_id)
            )
        assert not clash.exists(), (rule.code, list(clash))


def test_progression_rules_cover_sessions_1_to_15_without_gaps():
    covered = []
    for rule in ProgressionRule.objects.all():
        covered += range(rule.first_session, rule.last_session + 1)
    assert covered == list(range(1, 16))


def test_at_least_six_ready_made_routines_with_steps():
    ready = Routine.objects.ready_made()
    assert ready.count() >= 6
    assert all(r.steps.exists() for r in ready)


@pytest.mark.parametrize(
    ("alias", "slug"),
    [
        ("effleurage", "light-stroking"),
        ("trituration", "palm-rubbing"),
        ("to nag", "sawing"),
        ("mash", "kneading"),
        ("push-ups", "squeezing"),
        ("concussion", "sieve-shaking"),
        ("can massage", "cupping"),
    ],
)
def test_garbled_translations_resolve_to_the_right_technique(alias, slug):
    assert slug in set(Technique.objects.matching(alias).values_list("slug", flat=True))


def test_loading_the_library_twice_updates_and_never_duplicates():
    counts = [m.objects.count() for m in [*CITED, Routine, RoutineStep]]
    call_command("load_library", verbosity=0)
    assert [m.objects.count() for m in [*CITED, Routine, RoutineStep]] == counts
