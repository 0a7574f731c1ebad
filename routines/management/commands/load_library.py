"""Load the technique library from routines/content/*.toml.

Idempotent: rows are matched on their natural key (slug, code, file name) and updated;
nothing is duplicated, and rule rows that vanished from the files are removed so the
database says exactly what the content says.
"""

import tomllib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from routines.models import (
    BodyZone,
    ConditionRule,
    Contraindication,
    Intensity,
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

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
INTENSITY = {label: value for value, label in Intensity.choices}


def read(name: str, key: str) -> list[dict]:
    path = CONTENT_DIR / name
    with path.open("rb") as fh:
        return tomllib.load(fh).get(key, [])


class Loader:
    def __init__(self) -> None:
        self.sources: dict[str, Source] = {}
        self.categories: dict[str, TechniqueCategory] = {}
        self.types: dict[str, MassageType] = {}
        self.zones: dict[str, BodyZone] = {}
        self.techniques: dict[str, Technique] = {}
        self.conditions: dict[str, Contraindication] = {}

    def lookup(self, table: dict, slug: str | None, what: str, owner: str):
        if not slug:
            return None
        try:
            return table[slug]
        except KeyError:
            raise CommandError(f"{owner}: unknown {what} '{slug}'") from None

    def cite(self, obj, item: dict, owner: str) -> None:
        names = item.get("sources") or []
        if not names:
            raise CommandError(f"{owner}: every item must list its sources")
        obj.sources.set([self.lookup(self.sources, n, "source", owner) for n in names])

    def intensity(self, value, owner: str) -> int | None:
        if value is None:
            return None
        try:
            return INTENSITY[value]
        except KeyError:
            raise CommandError(f"{owner}: unknown intensity '{value}'") from None

    def run(self) -> dict[str, int]:
        for item in read("sources.toml", "source"):
            obj, _ = Source.objects.update_or_create(
                file_name=item["file_name"],
                defaults={"title": item["title"], "summary": item.get("summary", "")},
            )
            self.sources[obj.file_name] = obj

        for item in read("categories.toml", "category"):
            obj, _ = TechniqueCategory.objects.update_or_create(
                slug=item["slug"],
                defaults={
                    "name": item["name"],
                    "description": item.get("description", ""),
                    "sequence_rank": item["sequence_rank"],
                    "is_warming": item.get("is_warming", False),
                    "is_impact": item.get("is_impact", False),
                },
            )
            self.cite(obj, item, f"category {obj.slug}")
            self.categories[obj.slug] = obj

        for item in read("massage_types.toml", "massage_type"):
            obj, _ = MassageType.objects.update_or_create(
                slug=item["slug"],
                defaults={
                    "name": item["name"],
                    "description": item["description"],
                    "requires_professional": item.get("requires_professional", False),
                    "default_minutes": item.get("default_minutes"),
                },
            )
            self.cite(obj, item, f"massage type {obj.slug}")
            self.types[obj.slug] = obj

        zone_items = read("zones.toml", "zone")
        for item in zone_items:
            obj, _ = BodyZone.objects.update_or_create(
                slug=item["slug"],
                defaults={
                    "name": item["name"],
                    "region": item["region"],
                    "sensitivity": item.get("sensitivity", "none"),
                    "height_rank": item["height_rank"],
                    "is_targetable": item.get("is_targetable", True),
                    "description": item["description"],
                    "map_shape": item.get("map_shape", ""),
                },
            )
            self.cite(obj, item, f"zone {obj.slug}")
            self.zones[obj.slug] = obj
        for item in zone_items:
            obj = self.zones[item["slug"]]
            owner = f"zone {obj.slug}"
            obj.parent = self.lookup(self.zones, item.get("parent"), "zone", owner)
            obj.instead = self.lookup(self.zones, item.get("instead"), "zone", owner)
            obj.save(update_fields=["parent", "instead"])

        for item in read("techniques.toml", "technique"):
            owner = f"technique {item['slug']}"
            obj, _ = Technique.objects.update_or_create(
                slug=item["slug"],
                defaults={
                    "name": item["name"],
                    "category": self.lookup(self.categories, item["category"], "category", owner),
                    "aliases": item.get("aliases", []),
                    "summary": item["summary"],
                    "steps": item["steps"],
                    "hand_part": item["hand_part"],
                    "direction": item["direction"],
                    "intensity": self.intensity(item["intensity"], owner),
                    "tempo_per_min": item.get("tempo_per_min"),
                    "typical_minutes": item.get("typical_minutes"),
                    "typical_reps": item.get("typical_reps"),
                    "max_seconds": item.get("max_seconds"),
                    "max_reps": item.get("max_reps"),
                    "equipment": item.get("equipment", ""),
                    "cautions": item.get("cautions", ""),
                    "is_self_massage": item.get("is_self_massage", False),
                    "requires_professional": item.get("requires_professional", False),
                },
            )
            self.cite(obj, item, owner)
            obj.typical_zones.set(
                [self.lookup(self.zones, z, "zone", owner) for z in item.get("zones", [])]
            )
            obj.massage_types.set(
                [
                    self.lookup(self.types, t, "massage type", owner)
                    for t in item.get("massage_types", [])
                ]
            )
            self.techniques[obj.slug] = obj

        for item in read("contraindications.toml", "contraindication"):
            obj, _ = Contraindication.objects.update_or_create(
                slug=item["slug"],
                defaults={
                    "code": item.get("code", ""),
                    "name": item["name"],
                    "kind": item["kind"],
                    "description": item["description"],
                    "effect": item["effect"],
                    "see_doctor": item.get("see_doctor", False),
                    "conflict_note": item.get("conflict_note", ""),
                    "asks_systolic": item.get("asks_systolic", False),
                },
            )
            self.cite(obj, item, f"contraindication {obj.slug}")
            self.conditions[obj.slug] = obj

        codes = []
        for item in read("zone_rules.toml", "rule"):
            owner = f"zone rule {item['code']}"
            obj, _ = ZoneRule.objects.update_or_create(
                code=item["code"],
                defaults={
                    "zone": self.lookup(self.zones, item["zone"], "zone", owner),
                    "category": self.lookup(
                        self.categories, item.get("category"), "category", owner
                    ),
                    "technique": self.lookup(
                        self.techniques, item.get("technique"), "technique", owner
                    ),
                    "applies_to_all": item.get("applies_to_all", False),
                    "min_intensity": self.intensity(item.get("min_intensity"), owner),
                    "severity": item["severity"],
                    "message": item["message"],
                },
            )
            self.cite(obj, item, owner)
            codes.append(obj.code)
        ZoneRule.objects.exclude(code__in=codes).delete()

        codes = []
        for item in read("condition_rules.toml", "rule"):
            owner = f"condition rule {item['code']}"
            obj, _ = ConditionRule.objects.update_or_create(
                code=item["code"],
                defaults={
                    "condition": self.lookup(
                        self.conditions, item["condition"], "contraindication", owner
                    ),
                    "effect": item["effect"],
                    "severity": item["severity"],
                    "category": self.lookup(
                        self.categories, item.get("category"), "category", owner
                    ),
                    "technique": self.lookup(
                        self.techniques, item.get("technique"), "technique", owner
                    ),
                    "massage_type": self.lookup(
                        self.types, item.get("massage_type"), "massage type", owner
                    ),
                    "direction": item.get("direction", ""),
                    "systolic_threshold": item.get("systolic_threshold"),
                    "max_minutes": item.get("max_minutes"),
                    "message": item["message"],
                },
            )
            self.cite(obj, item, owner)
            codes.append(obj.code)
        ConditionRule.objects.exclude(code__in=codes).delete()

        kept = []
        for item in read("progression.toml", "rule"):
            owner = f"progression {item['first_session']}-{item['last_session']}"
            obj, _ = ProgressionRule.objects.update_or_create(
                first_session=item["first_session"],
                defaults={
                    "last_session": item["last_session"],
                    "start_minutes": item["start_minutes"],
                    "minutes_step": item.get("minutes_step", 0),
                    "max_minutes": item["max_minutes"],
                    "max_intensity": self.intensity(item["max_intensity"], owner),
                    "note": item["note"],
                },
            )
            self.cite(obj, item, owner)
            obj.allowed_categories.set(
                [
                    self.lookup(self.categories, c, "category", owner)
                    for c in item["allowed_categories"]
                ]
            )
            kept.append(obj.pk)
        ProgressionRule.objects.exclude(pk__in=kept).delete()

        for position, item in enumerate(read("prep.toml", "item"), start=1):
            owner = f"prep item {item['slug']}"
            obj, _ = PrepItem.objects.update_or_create(
                slug=item["slug"],
                defaults={
                    "phase": item["phase"],
                    "group": item["group"],
                    "text": item["text"],
                    "condition": self.lookup(
                        self.conditions, item.get("condition"), "contraindication", owner
                    ),
                    "position": position,
                },
            )
            self.cite(obj, item, owner)

        for item in read("routines.toml", "routine"):
            self.load_routine(item)

        return {
            "techniques": len(self.techniques),
            "zones": len(self.zones),
            "contraindications": len(self.conditions),
            "zone rules": ZoneRule.objects.count(),
            "condition rules": ConditionRule.objects.count(),
            "ready-made routines": Routine.objects.ready_made().count(),
        }

    def load_routine(self, item: dict) -> None:
        owner = f"routine {item['slug']}"
        routine, _ = Routine.objects.update_or_create(
            owner=None,
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "description": item["description"],
                "massage_type": self.lookup(
                    self.types, item.get("massage_type"), "massage type", owner
                ),
            },
        )
        self.cite(routine, item, owner)
        routine.steps.all().delete()
        RoutineStep.objects.bulk_create(
            [
                RoutineStep(
                    routine=routine,
                    position=position,
                    technique=self.lookup(self.techniques, step["technique"], "technique", owner),
                    zone=self.lookup(self.zones, step["zone"], "zone", owner),
                    duration_s=step["seconds"],
                    reps=step.get("reps"),
                    intensity=self.intensity(step["intensity"], owner),
                    direction=step["direction"],
                    side=step.get("side", "both"),
                    note=step.get("note", ""),
                )
                for position, step in enumerate(item["step"], start=1)
            ]
        )


class Command(BaseCommand):
    help = "Load (or update) the technique library from routines/content/*.toml."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = Loader().run()
        if options["verbosity"]:
            summary = ", ".join(f"{n} {what}" for what, n in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Library loaded: {summary}."))
