"""Invariants of the authored library: complete, cited, consistent, and loaded idempotently.

The tables, keys and columns come from routines/content/schema.py, the description the loader
follows; broken content is written to a copy of the content folder and loaded from there.
"""

import shutil

import pytest
from django.core.management import call_command

from routines.content.loader import CONTENT_DIR, LoadError, load, read_items
from routines.content.schema import SOURCES, TABLES, Child, Many, Ref
from routines.models import (
    BodyZone,
    ConditionRule,
    Contraindication,
    PrepItem,
    ProgressionRule,
    Routine,
    Severity,
    Source,
    Technique,
    TechniqueCategory,
    ZoneRule,
)
from routines.safety import RuleBook, check

pytestmark = pytest.mark.usefixtures("library")

SEEDS = {
    "000_c9d1c14d166b50cd.txt",
    "001_41fec4d5656dcbf4.txt",
    "002_8d9f8d67dee089ad.txt",
    "003_b1d25f8055cbe56c.txt",
    "004_bc8b1b57dafa8bba.txt",
}
CITED = [table for table in TABLES if SOURCES in table.columns]
NESTED = [(table, child) for table in TABLES for child in table.children]


def library_rows(table):
    return table.model.objects.filter(**table.scope)


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.label)
def test_every_item_of_the_file_is_a_row(table):
    keys = [item[table.key] for item in read_items(table)]
    assert sorted(library_rows(table).values_list(table.key, flat=True)) == sorted(keys)


@pytest.mark.parametrize(("table", "child"), NESTED, ids=lambda t: getattr(t, "label", ""))
def test_every_nested_item_is_a_row_of_its_parent(table, child):
    for item in read_items(table):
        parent = library_rows(table).get(**{table.key: item[table.key]})
        rows = child.table.model.objects.filter(**{child.parent: parent})
        assert rows.count() == len(item[child.key]), item[table.key]


@pytest.mark.parametrize("table", CITED, ids=lambda t: t.label)
def test_every_catalogue_item_and_rule_cites_a_source(table):
    uncited = library_rows(table).filter(sources__isnull=True)
    assert not uncited.exists(), list(uncited)


def test_the_five_source_articles_are_the_only_sources():
    assert set(Source.objects.values_list("file_name", flat=True)) == SEEDS


def test_every_technique_of_brief_section_1_is_in_the_library():
    # 57 from brief section 1, and the scalp, chest and abdomen moves of 002's whole-body
    # self-massage.
    assert Technique.objects.count() == 60
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


READY_MADE = [item["slug"] for item in read_items(next(t for t in TABLES if t.model is Routine))]


@pytest.mark.parametrize("slug", READY_MADE)
def test_every_ready_made_routine_passes_the_safety_engine_without_a_forbidden_step(slug):
    steps = list(Routine.objects.ready_made().get(slug=slug).ordered_steps())
    report = check(steps, rules=RuleBook.load())
    assert not [f.message for f in report.findings if f.severity == Severity.FORBIDDEN]
    assert report.can_start, [f.message for f in report.blocking]


# The whole-body self-massage of 002 ("How to do self-massage")


@pytest.fixture
def whole_body():
    return Routine.objects.ready_made().get(slug="whole-body-self-massage")


def test_the_whole_body_self_massage_opens_and_closes_with_stroking(whole_body):
    steps = list(whole_body.ordered_steps())
    assert steps[0].technique.category.slug == "stroking"
    assert steps[-1].technique.category.slug == "stroking"


def test_the_whole_body_self_massage_lasts_at_least_25_minutes(whole_body):
    assert sum(step.duration_s for step in whole_body.steps.all()) >= 25 * 60


def test_the_whole_body_self_massage_is_self_massage_from_source_002(whole_body):
    assert whole_body.massage_type.slug == "self-massage"
    assert [s.file_name for s in whole_body.sources.all()] == ["002_8d9f8d67dee089ad.txt"]


def test_the_whole_body_self_massage_never_targets_a_lymph_node_area_or_the_spine(whole_body):
    zones = {step.zone for step in whole_body.steps.select_related("zone")}
    assert all(zone.is_targetable for zone in zones)
    assert not {zone.slug for zone in zones} & {"spine", "kidney-area"}
    assert not [zone for zone in zones if zone.region == BodyZone.Region.LYMPH]


def test_the_whole_body_self_massage_says_which_lymph_areas_each_limb_step_skips(whole_body):
    near_nodes = whole_body.steps.filter(zone__slug__in=["limbs", "chest", "shoulders", "sides"])
    assert near_nodes.count() >= 8
    for step in near_nodes:
        assert "lymph" in step.note or "armpit" in step.note, step.position


def test_after_care_for_one_technique_is_tied_to_that_technique():
    tied = {
        item.slug: {t.slug for t in item.techniques.all()}
        for item in PrepItem.objects.filter(phase="after").prefetch_related("techniques")
    }
    assert tied["after-honey-wrap"] == {"honey-massage"}
    assert tied["after-cupping-marks"] == {"cupping"}
    assert tied["after-clean-devices"] == {"cupping", "device-massage"}
    assert tied["after-rest"] == tied["after-wipe-shower"] == set()


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


# The description itself


def test_the_schema_names_only_model_fields_that_exist():
    for table in [*TABLES, *(child.table for _, child in NESTED)]:
        names = [table.key] + [c.name for c in table.columns if not isinstance(c, Child)]
        for name in names:
            table.model._meta.get_field(name)


def test_every_table_refers_only_to_itself_or_to_tables_loaded_before_it():
    loaded = set()
    for table in TABLES:
        loaded.add((table.model, table.key))
        columns = [*table.columns, *(c for child in table.children for c in child.table.columns)]
        for column in columns:
            if isinstance(column, Ref | Many):
                assert (column.model, column.by) in loaded, (table.label, column.key)


# Loading


@pytest.fixture
def content(tmp_path):
    """A copy of the content folder, to edit and load from."""
    for path in CONTENT_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path)
    return tmp_path


def append(content, file_name, text):
    with (content / file_name).open("a") as fh:
        fh.write(text)


def replace(content, file_name, old, new):
    path = content / file_name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_second_load_reports_every_row_unchanged():
    report = load()
    assert report.changed == 0
    for table in TABLES:
        assert report.counts[table.label].unchanged == library_rows(table).count()


def test_loading_the_library_twice_updates_and_never_duplicates():
    models = [table.model for table in TABLES] + [child.table.model for _, child in NESTED]
    counts = [m.objects.count() for m in models]
    call_command("load_library", verbosity=0)
    assert [m.objects.count() for m in models] == counts


def test_the_command_prints_what_each_table_did(capsys):
    call_command("load_library")
    out = capsys.readouterr().out
    assert "Library already up to date" in out
    assert "techniques: 0 created, 0 updated, 60 unchanged" in out


def test_an_edited_item_updates_its_row_in_place(content):
    replace(content, "categories.toml", 'name = "Stroking"', 'name = "Gliding"')
    report = load(content)
    assert TechniqueCategory.objects.get(slug="stroking").name == "Gliding"
    assert TechniqueCategory.objects.count() == 8
    assert (report.counts["technique categories"].updated, report.changed) == (1, 1)


def test_a_rule_removed_from_its_file_is_deleted(content):
    replace(content, "zone_rules.toml", 'code = "kidney-no-percussion"', 'code = "kidney-renamed"')
    report = load(content)
    assert not ZoneRule.objects.filter(code="kidney-no-percussion").exists()
    assert ZoneRule.objects.filter(code="kidney-renamed").exists()
    assert (report.counts["zone rules"].created, report.counts["zone rules"].deleted) == (1, 1)


CATEGORY = """
[[category]]
slug = "test-category"
name = "Test"
sequence_rank = 9
sources = ["000_c9d1c14d166b50cd.txt"]
"""
ROUTINE = """
[[routine]]
slug = "test-routine"
name = "Test"
description = ""
sources = ["000_c9d1c14d166b50cd.txt"]

[[routine.step]]
technique = "light-stroking"
zone = "whole-back"
seconds = 60
intensity = "gentle"
direction = "bottom_to_top"
"""
TECHNIQUE = """
[[technique]]
slug = "test-technique"
name = "Test"
category = "stroking"
aliases = ["glide"]
summary = "s"
steps = ["s"]
hand_part = "palm"
direction = "any"
intensity = "gentle"
sources = ["000_c9d1c14d166b50cd.txt"]
"""
BROKEN = {
    "unknown key": (
        "categories.toml",
        CATEGORY + 'colour = "red"\n',
        "category 'test-category', field 'colour'",
    ),
    "missing required field": (
        "categories.toml",
        CATEGORY.replace('name = "Test"', ""),
        "category 'test-category', field 'name'",
    ),
    "wrong type": (
        "categories.toml",
        CATEGORY.replace("sequence_rank = 9", 'sequence_rank = "ninth"'),
        "category 'test-category', field 'sequence_rank'",
    ),
    "unknown source": (
        "categories.toml",
        CATEGORY.replace("000_c9d1c14d166b50cd.txt", "005_missing.txt"),
        "category 'test-category', field 'sources'",
    ),
    "unknown reference": (
        "zones.toml",
        '[[zone]]\nslug = "tail"\nname = "Tail"\nregion = "pelvis"\nheight_rank = 1\n'
        'description = "d"\nparent = "moon"\nsources = ["000_c9d1c14d166b50cd.txt"]\n',
        "zone 'tail', field 'parent'",
    ),
    "unknown choice": (
        "routines.toml",
        ROUTINE.replace('intensity = "gentle"', 'intensity = "hard"'),
        "routine 'test-routine' step 1, field 'intensity'",
    ),
    "unknown reference in a nested item": (
        "routines.toml",
        ROUTINE.replace('"light-stroking"', '"moonwalk"'),
        "routine 'test-routine' step 1, field 'technique'",
    ),
    "explained alias the technique does not have": (
        "techniques.toml",
        TECHNIQUE + 'aliases_explained = { gilde = "A typo explains nothing." }\n',
        "technique 'test-technique', field 'aliases_explained'",
    ),
    "empty alias explanation": (
        "techniques.toml",
        TECHNIQUE + 'aliases_explained = { glide = " " }\n',
        "technique 'test-technique', field 'aliases_explained'",
    ),
    "alias explanations not a table": (
        "techniques.toml",
        TECHNIQUE + 'aliases_explained = ["glide"]\n',
        "technique 'test-technique', field 'aliases_explained'",
    ),
}


@pytest.mark.parametrize(("file_name", "text", "where"), BROKEN.values(), ids=BROKEN.keys())
def test_an_error_names_the_file_the_item_and_the_field(content, file_name, text, where):
    append(content, file_name, text)
    with pytest.raises(LoadError) as error:
        load(content)
    assert error.value.errors == [
        line for line in error.value.errors if line.startswith(f"{file_name}: {where}:")
    ]


def test_an_explained_alias_must_be_one_of_the_techniques_aliases(content):
    append(content, "techniques.toml", TECHNIQUE + 'aliases_explained = { gilde = "Typo." }\n')
    with pytest.raises(LoadError) as error:
        load(content)
    assert error.value.errors == [
        "techniques.toml: technique 'test-technique', field 'aliases_explained': "
        "'gilde' is not one of its aliases ('glide')"
    ]


def test_explained_aliases_are_stored_with_the_technique(content):
    append(content, "techniques.toml", TECHNIQUE + 'aliases_explained = { glide = "Here." }\n')
    load(content)
    assert Technique.objects.get(slug="test-technique").alias_notes == {"glide": "Here."}


def test_a_bad_file_changes_nothing(content):
    replace(content, "categories.toml", 'name = "Stroking"', 'name = "Gliding"')
    append(content, "techniques.toml", '\n[[technique]]\nslug = "half-done"\n')
    with pytest.raises(LoadError, match="techniques.toml: technique 'half-done', field 'name'"):
        load(content)
    assert TechniqueCategory.objects.get(slug="stroking").name == "Stroking"
    assert not Technique.objects.filter(slug="half-done").exists()


def test_a_row_the_database_refuses_changes_nothing(content):
    replace(content, "categories.toml", 'name = "Stroking"', 'name = "Gliding"')
    # Valid key by key, but a zone rule must aim at something: the database constraint says no.
    append(
        content,
        "zone_rules.toml",
        '\n[[rule]]\ncode = "aimless"\nzone = "neck"\nseverity = "caution"\nmessage = "m"\n'
        'sources = ["000_c9d1c14d166b50cd.txt"]\n',
    )
    with pytest.raises(LoadError, match="zone_rules.toml: rule 'aimless'"):
        load(content)
    assert TechniqueCategory.objects.get(slug="stroking").name == "Stroking"
    assert not ZoneRule.objects.filter(code="aimless").exists()


def test_a_russian_text_longer_than_its_column_is_reported_on_every_database(content):
    (content / "ru").mkdir()
    (content / "ru" / "categories.toml").write_text(
        '[category.stroking]\nname = "' + "поглаживание " * 10 + '"\n'
    )

    with pytest.raises(LoadError, match="ru/categories.toml: category 'stroking', field 'name'"):
        load(content)


def test_a_russian_item_with_no_english_item_is_reported(content):
    (content / "ru").mkdir()
    (content / "ru" / "categories.toml").write_text('[category.no-such]\nname = "Нет"\n')

    with pytest.raises(LoadError, match="ru/categories.toml, field 'no-such': is not an item"):
        load(content)
