"""What each content file holds and where it goes: the one description `loader.load()` follows.

Every `[[array]]` of a TOML file is a `Table`: the model it fills, the natural key a row is
matched on, and its columns, one line each:

- `Field("key", default)`: a value stored as it is; without a default the key is required.
- `Ref("key", Model, by="slug")`: a foreign key, written as the natural key of the row it
  points to. A reference to the table's own model (a zone's `parent`) is set once every row of
  the table exists, so the order of the items in the file does not matter.
- `Many("key", Model, by="slug")`: a many-to-many set, written as a list of natural keys.
- `Child(TABLE, parent="fk")`: nested `[[array.child]]` rows, kept in the order of the file.

A table's `checks` tie one key of an item to another (an explained alias must be one of the
technique's aliases); each yields the key and the problem, and the loader reports them like the
others.

`TABLES` is also the load order: a table may only refer to tables above it (or to itself).
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import translation

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

REQUIRED: Any = object()


@dataclass(frozen=True)
class Field:
    key: str
    default: Any = REQUIRED
    field: str = ""
    convert: Callable[[Any], Any] | None = None

    @property
    def name(self) -> str:
        return self.field or self.key


@dataclass(frozen=True)
class Ref:
    key: str
    model: type[models.Model]
    by: str = "slug"
    optional: bool = False
    field: str = ""

    @property
    def name(self) -> str:
        return self.field or self.key


@dataclass(frozen=True)
class Many:
    """A set of rows; unless optional, the list must name at least one."""

    key: str
    model: type[models.Model]
    by: str = "slug"
    optional: bool = False
    field: str = ""

    @property
    def name(self) -> str:
        return self.field or self.key


@dataclass(frozen=True)
class Child:
    """Rows owned by the item, replaced with the item: at least one, numbered in file order."""

    table: "Table"
    parent: str

    @property
    def key(self) -> str:
        return self.table.array


Column = Field | Ref | Many | Child

# A check across the keys of one item: yields (key, problem) for each problem it finds.
ItemCheck = Callable[[Mapping[str, Any]], Iterator[tuple[str, str]]]


@dataclass(frozen=True)
class Table:
    file: str
    array: str
    model: type[models.Model]
    key: str
    columns: tuple[Column, ...] = ()
    # Only the rows matching this filter belong to the library (ready-made routines have no owner).
    scope: Mapping[str, Any] = field(default_factory=dict)
    # Model field that stores the item's 1-based place in the file; may also be the key.
    position: str = ""
    # Delete the rows the file no longer lists. Only for rows nothing else protects.
    prune: bool = False
    # Rules that tie one key of an item to another, run once each key is checked on its own.
    checks: tuple[ItemCheck, ...] = ()

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(c for c in self.columns if isinstance(c, Field))

    @property
    def refs(self) -> tuple[Ref, ...]:
        return tuple(c for c in self.columns if isinstance(c, Ref))

    @property
    def many(self) -> tuple[Many, ...]:
        return tuple(c for c in self.columns if isinstance(c, Many))

    @property
    def children(self) -> tuple[Child, ...]:
        return tuple(c for c in self.columns if isinstance(c, Child))

    @property
    def keyed_by_position(self) -> bool:
        return self.key == self.position


@dataclass(frozen=True)
class ByLabel:
    """Authors write a choice by its label ("gentle"); the model stores its value (1)."""

    choices: type[models.Choices]

    def __call__(self, label: Any) -> Any:
        # The labels are translated for pages; the content files use the English ones.
        with translation.override("en"):
            for value, known in self.choices.choices:
                if str(known) == label:
                    return value
            labels = ", ".join(str(known) for _, known in self.choices.choices)
        raise ValueError(f"{label!r} is not one of {labels}")


INTENSITY = ByLabel(Intensity)
SOURCES = Many("sources", Source, by="file_name")


def text_by_key(value: Any) -> dict[str, str]:
    """A TOML table of short texts (`{ effleurage = "..." }`), none of them empty."""
    if not isinstance(value, dict):
        raise ValueError(f"must be a table of name = text, not {value!r}")
    for key, text in value.items():
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"the text for {key!r} must be a non-empty string, not {text!r}")
    return value


def explained_aliases_are_aliases(item: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """An alias can only be explained if the technique has it; a typo would explain nothing."""
    explained, aliases = item.get("aliases_explained"), item.get("aliases", [])
    if not isinstance(explained, dict) or not isinstance(aliases, list):
        return  # missing, or of the wrong type: reported by the key's own check
    for alias in explained:
        if alias not in aliases:
            known = ", ".join(repr(a) for a in aliases) or "none"
            yield "aliases_explained", f"{alias!r} is not one of its aliases ({known})"


ROUTINE_STEPS = Table(
    "routines.toml",
    "step",
    RoutineStep,
    key="position",
    position="position",
    prune=True,
    columns=(
        Ref("technique", Technique),
        Ref("zone", BodyZone),
        Field("seconds", field="duration_s"),
        Field("reps", None),
        Field("intensity", convert=INTENSITY),
        Field("direction"),
        Field("side", "both"),
        Field("note", ""),
    ),
)

TABLES: tuple[Table, ...] = (
    Table(
        "sources.toml",
        "source",
        Source,
        key="file_name",
        columns=(
            Field("title"),
            Field("summary", ""),
        ),
    ),
    Table(
        "categories.toml",
        "category",
        TechniqueCategory,
        key="slug",
        columns=(
            Field("name"),
            Field("description", ""),
            Field("sequence_rank"),
            Field("is_warming", False),
            Field("is_impact", False),
            SOURCES,
        ),
    ),
    Table(
        "massage_types.toml",
        "massage_type",
        MassageType,
        key="slug",
        columns=(
            Field("name"),
            Field("description"),
            Field("requires_professional", False),
            Field("default_minutes", None),
            SOURCES,
        ),
    ),
    Table(
        "zones.toml",
        "zone",
        BodyZone,
        key="slug",
        columns=(
            Field("name"),
            Field("region"),
            Field("sensitivity", "none"),
            Ref("parent", BodyZone, optional=True),
            Field("height_rank"),
            Field("is_targetable", True),
            Ref("instead", BodyZone, optional=True),
            Field("description"),
            Field("map_shape", ""),
            SOURCES,
        ),
    ),
    Table(
        "techniques.toml",
        "technique",
        Technique,
        key="slug",
        columns=(
            Field("name"),
            Ref("category", TechniqueCategory),
            Field("aliases", []),
            Field("summary"),
            Field("steps"),
            Field("hand_part"),
            Field("direction"),
            Field("intensity", convert=INTENSITY),
            Field("tempo_per_min", None),
            Field("typical_seconds", None, field="typical_seconds_min"),
            Field("typical_seconds_max", None),
            Field("typical_reps", None),
            Field("max_seconds", None),
            Field("max_reps", None),
            Field("max_intensity", None, convert=INTENSITY),
            Field("aliases_explained", {}, field="alias_notes", convert=text_by_key),
            Field("equipment", ""),
            Field("cautions", ""),
            Field("is_self_massage", False),
            Field("requires_professional", False),
            Many("zones", BodyZone, optional=True, field="typical_zones"),
            Many("massage_types", MassageType, optional=True),
            SOURCES,
        ),
        checks=(explained_aliases_are_aliases,),
    ),
    Table(
        "contraindications.toml",
        "contraindication",
        Contraindication,
        key="slug",
        columns=(
            Field("code", ""),
            Field("name"),
            Field("kind"),
            Field("description"),
            Field("effect"),
            Field("see_doctor", False),
            Field("conflict_note", ""),
            Field("asks_systolic", False),
            SOURCES,
        ),
    ),
    Table(
        "zone_rules.toml",
        "rule",
        ZoneRule,
        key="code",
        prune=True,
        columns=(
            Ref("zone", BodyZone),
            Ref("category", TechniqueCategory, optional=True),
            Ref("technique", Technique, optional=True),
            Field("applies_to_all", False),
            Field("min_intensity", None, convert=INTENSITY),
            Field("severity"),
            Field("message"),
            SOURCES,
        ),
    ),
    Table(
        "condition_rules.toml",
        "rule",
        ConditionRule,
        key="code",
        prune=True,
        columns=(
            Ref("condition", Contraindication),
            Field("effect"),
            Field("severity"),
            Ref("category", TechniqueCategory, optional=True),
            Ref("technique", Technique, optional=True),
            Ref("massage_type", MassageType, optional=True),
            Field("direction", ""),
            Field("systolic_threshold", None),
            Field("max_minutes", None),
            Field("message"),
            SOURCES,
        ),
    ),
    Table(
        "progression.toml",
        "rule",
        ProgressionRule,
        key="first_session",
        prune=True,
        columns=(
            Field("last_session"),
            Many("allowed_categories", TechniqueCategory),
            Field("start_minutes"),
            Field("minutes_step", 0),
            Field("max_minutes"),
            Field("max_intensity", convert=INTENSITY),
            Field("note"),
            SOURCES,
        ),
    ),
    Table(
        "prep.toml",
        "item",
        PrepItem,
        key="slug",
        position="position",
        columns=(
            Field("phase"),
            Field("group"),
            Field("text"),
            Ref("condition", Contraindication, optional=True),
            Many("techniques", Technique, optional=True),
            SOURCES,
        ),
    ),
    Table(
        "routines.toml",
        "routine",
        Routine,
        key="slug",
        scope={"owner": None},
        columns=(
            Field("name"),
            Field("description"),
            Ref("massage_type", MassageType, optional=True),
            SOURCES,
            Child(ROUTINE_STEPS, parent="routine"),
        ),
    ),
)
