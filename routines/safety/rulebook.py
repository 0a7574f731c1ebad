"""The rule rows, loaded once per library version in a fixed number of queries.

Only the engine reads rule rows (`ZoneRule`, `ConditionRule`, `ProgressionRule`); every page,
the planner and the session ask it through this book, so they cannot disagree.

The rows change only when the library does (`load_library`, an admin edit), and both bump
`LibraryVersion`. So each process keeps one book per version: a request pays one primary-key
read to learn the version, and the rule rows are read once, by the first request that needs
each kind, until the version changes. The book holds read-only rows; nothing writes to them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Prefetch

from ..models import (
    BodyZone,
    ConditionRule,
    Contraindication,
    LibraryVersion,
    ProgressionRule,
    Source,
    Technique,
    ZoneRule,
)

# The library version a request has already read (routines/views/page_cache.py): the book is
# then found without reading it again.
_known_token: ContextVar[str | None] = ContextVar("library_token", default=None)


@contextmanager
def library_token_known(token: str) -> Iterator[None]:
    """Within this block, `RuleBook.load` takes `token` as the library's current version."""
    reset = _known_token.set(token)
    try:
        yield
    finally:
        _known_token.reset(reset)


SOURCES = Prefetch("sources", queryset=Source.objects.only("file_name"))


def zone_rule_fires(rule: ZoneRule, technique: Technique, intensity: int) -> bool:
    """Does this zone rule apply to a step of `technique` at `intensity`?"""
    if rule.min_intensity and intensity < rule.min_intensity:
        return False
    if rule.applies_to_all:
        return True
    if rule.technique_id:
        return rule.technique_id == technique.pk
    return rule.category_id == technique.category_id


@dataclass(frozen=True)
class CourseContext:
    """What a course session allows: its number and the progression rule covering it."""

    index: int
    rule: ProgressionRule
    allowed_category_ids: frozenset[int]

    @property
    def target_minutes(self) -> int:
        return self.rule.minutes_for(self.index)

    @property
    def max_intensity(self) -> int:
        return self.rule.max_intensity

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(self.rule.source_names())


class RuleBook:
    """The rule rows, each kind loaded on first use and then kept for the library version.

    A page that only asks whether a person may have a session that day (the dashboard) reads
    the condition rules alone; the builder and the planner read every kind.
    """

    _current: tuple[str, RuleBook] | None = None

    @classmethod
    def load(cls) -> RuleBook:
        """The book of the library's current version, built once per version and process."""
        token = _known_token.get() or LibraryVersion.objects.current().token
        kept = RuleBook._current
        if kept is not None and kept[0] == token:
            return kept[1]
        book = cls()
        RuleBook._current = (token, book)
        return book

    @classmethod
    def forget(cls) -> None:
        """Drop the kept book, so the next `load` reads the rows again (tests use it)."""
        RuleBook._current = None

    @cached_property
    def zone_rules(self) -> dict[int, list[ZoneRule]]:
        zone_rules: dict[int, list[ZoneRule]] = defaultdict(list)
        for rule in ZoneRule.objects.select_related(
            "zone", "category", "technique"
        ).prefetch_related(SOURCES):
            zone_rules[rule.zone_id].append(rule)
        return dict(zone_rules)

    @cached_property
    def condition_rules(self) -> dict[int, list[ConditionRule]]:
        condition_rules: dict[int, list[ConditionRule]] = defaultdict(list)
        for rule in ConditionRule.objects.select_related(
            "condition", "category", "massage_type", "technique"
        ).prefetch_related(SOURCES):
            condition_rules[rule.condition_id].append(rule)
        return dict(condition_rules)

    @cached_property
    def zones(self) -> dict[int, BodyZone]:
        return {
            z.pk: z for z in BodyZone.objects.select_related("instead").prefetch_related(SOURCES)
        }

    @cached_property
    def type_members(self) -> dict[int, set[int]]:
        return _type_members()

    @cached_property
    def technique_sources(self) -> dict[int, tuple[str, ...]]:
        return _technique_sources()

    @cached_property
    def progression(self) -> list[ProgressionRule]:
        return list(ProgressionRule.objects.prefetch_related("allowed_categories", SOURCES))

    def sources_of(self, technique: Technique) -> tuple[str, ...]:
        return self.technique_sources.get(technique.pk, ())

    def zone(self, zone: BodyZone) -> BodyZone:
        return self.zones.get(zone.pk, zone)

    def zone_chain(self, zone: BodyZone) -> list[BodyZone]:
        """The zone, then its parent and theirs: a parent's rules hold on its parts too."""
        chain, seen = [], set()
        current: BodyZone | None = self.zone(zone)
        while current is not None and current.pk not in seen:
            chain.append(current)
            seen.add(current.pk)
            current = self.zones.get(current.parent_id) if current.parent_id else None
        return chain

    def rules_on(self, zone: BodyZone) -> list[ZoneRule]:
        """Every zone rule that holds on this zone, its own first, then its parents'."""
        return [rule for z in self.zone_chain(zone) for rule in self.zone_rules.get(z.pk, [])]

    def rules_of(self, conditions: Iterable[Contraindication]) -> list[ConditionRule]:
        return [rule for c in conditions for rule in self.condition_rules.get(c.pk, [])]

    def needs_reading(self, conditions: Iterable[Contraindication]) -> bool:
        """Does one of these conditions make today's blood-pressure reading decide?"""
        return any(r.effect == ConditionRule.Effect.BP_THRESHOLD for r in self.rules_of(conditions))

    def course_context(self, index: int) -> CourseContext:
        for rule in self.progression:
            if rule.first_session <= index <= rule.last_session:
                allowed = frozenset(c.pk for c in rule.allowed_categories.all())
                return CourseContext(index, rule, allowed)
        raise ValueError(f"No progression rule covers session {index}; load the library.")


def _type_members() -> dict[int, set[int]]:
    members: dict[int, set[int]] = defaultdict(set)
    for technique_id, type_id in Technique.massage_types.through.objects.values_list(
        "technique_id", "massagetype_id"
    ):
        members[technique_id].add(type_id)
    return dict(members)


def _technique_sources() -> dict[int, tuple[str, ...]]:
    names: dict[int, list[str]] = defaultdict(list)
    for technique_id, file_name in Technique.sources.through.objects.values_list(
        "technique_id", "source__file_name"
    ).order_by("source__file_name"):
        names[technique_id].append(file_name)
    return {pk: tuple(files) for pk, files in names.items()}
