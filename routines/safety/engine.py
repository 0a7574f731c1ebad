"""The safety engine: one place that turns the rule data into findings.

The builder, the course planner and the session page all call `check()`; none of them
re-implements a rule. Zone and condition rules are rows in the database (authored in
`routines/content/`); the structure rules below are few, fixed by every source, and each
carries its own code and sources so a page can cite it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.db.models import Prefetch

from .models import (
    BodyZone,
    ConditionRule,
    Contraindication,
    Direction,
    Intensity,
    ProgressionRule,
    Severity,
    Source,
    Technique,
    ZoneRule,
)

S000 = "000_c9d1c14d166b50cd.txt"
S001 = "001_41fec4d5656dcbf4.txt"
S002 = "002_8d9f8d67dee089ad.txt"
S003 = "003_b1d25f8055cbe56c.txt"
S004 = "004_bc8b1b57dafa8bba.txt"

PERCUSSION_LIMIT_S = 300
STROKING = "stroking"
PERCUSSION = "percussion"

# Directions that do not drive blood upward; everything else breaks a forced top-to-bottom rule.
ROUTINE_LEVEL_EFFECTS = {
    ConditionRule.Effect.BLOCK,
    ConditionRule.Effect.POSTPONE,
    ConditionRule.Effect.CAUTION,
}
NEUTRAL_DIRECTIONS = {Direction.STATIC, Direction.CIRCULAR, Direction.SPINE_TO_SIDES}


class Fix:
    """Repairs the engine can offer because the right answer is certain."""

    ADD_OPENING_STROKING = "add-opening-stroking"
    ADD_CLOSING_STROKING = "add-closing-stroking"
    MOVE_ZONE = "move-zone"
    DIRECTION_DOWN = "direction-down"


STEP_FIXES = {Fix.MOVE_ZONE, Fix.DIRECTION_DOWN}


def repair(step: StepLike, code: str, rules: RuleBook | None = None) -> None:
    """Apply one of the engine's certain step-level repairs to a step in memory.

    The builder saves the step afterwards; the course planner keeps it in its plan. Raises
    ValueError when the repair does not fit the step.
    """
    if code == Fix.DIRECTION_DOWN:
        step.direction = Direction.DOWN
    elif code == Fix.MOVE_ZONE:
        zone = rules.zones.get(step.zone.pk, step.zone) if rules else step.zone
        if zone.instead is None:
            raise ValueError(f"The {zone.name.lower()} has no zone to move to.")
        step.zone = zone.instead
    else:
        raise ValueError(f"Unknown fix {code!r}.")


class StepLike(Protocol):
    position: int
    technique: Technique
    zone: BodyZone
    intensity: int
    duration_s: int
    reps: int | None
    direction: str


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    sources: tuple[str, ...]
    step: int | None = None
    fix: str = ""
    fix_label: str = ""

    @property
    def stops_start(self) -> bool:
        return Severity(self.severity).stops_start

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "sources": list(self.sources),
            "step": self.step,
        }


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> None:
        if finding not in self.findings:
            self.findings.append(finding)

    def for_step(self, position: int) -> list[Finding]:
        return [f for f in self.findings if f.step == position]

    @property
    def general(self) -> list[Finding]:
        return [f for f in self.findings if f.step is None]

    def by_step(self) -> dict[int, list[Finding]]:
        grouped: dict[int, list[Finding]] = defaultdict(list)
        for f in self.findings:
            if f.step is not None:
                grouped[f.step].append(f)
        return grouped

    @property
    def worst(self) -> Severity | None:
        if not self.findings:
            return None
        return min((Severity(f.severity) for f in self.findings), key=lambda s: s.rank)

    @property
    def can_start(self) -> bool:
        return not any(f.stops_start for f in self.findings)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.stops_start]

    @property
    def cautions(self) -> list[Finding]:
        return [f for f in self.findings if not f.stops_start]

    @property
    def verdict(self) -> str:
        worst = self.worst
        if worst is None:
            return "ok"
        return str(worst)

    def sorted(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (Severity(f.severity).rank, f.step or 0))


@dataclass
class RuleBook:
    """All rule rows, loaded once per request in a fixed number of queries."""

    zone_rules: dict[int, list[ZoneRule]]
    condition_rules: dict[int, list[ConditionRule]]
    zones: dict[int, BodyZone]
    type_members: dict[int, set[int]]
    technique_sources: dict[int, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> RuleBook:
        sources = Prefetch("sources", queryset=Source.objects.only("file_name"))
        zone_rules: dict[int, list[ZoneRule]] = defaultdict(list)
        for rule in ZoneRule.objects.select_related("zone").prefetch_related(sources):
            zone_rules[rule.zone_id].append(rule)
        condition_rules: dict[int, list[ConditionRule]] = defaultdict(list)
        for rule in ConditionRule.objects.select_related(
            "condition", "category", "massage_type", "technique"
        ).prefetch_related(sources):
            condition_rules[rule.condition_id].append(rule)
        zones = {
            z.pk: z for z in BodyZone.objects.select_related("instead").prefetch_related(sources)
        }
        type_members: dict[int, set[int]] = defaultdict(set)
        for technique_id, type_id in Technique.massage_types.through.objects.values_list(
            "technique_id", "massagetype_id"
        ):
            type_members[technique_id].add(type_id)
        technique_sources: dict[int, list[str]] = defaultdict(list)
        for technique_id, file_name in Technique.sources.through.objects.values_list(
            "technique_id", "source__file_name"
        ).order_by("source__file_name"):
            technique_sources[technique_id].append(file_name)
        return cls(
            dict(zone_rules),
            dict(condition_rules),
            zones,
            dict(type_members),
            {pk: tuple(names) for pk, names in technique_sources.items()},
        )

    def sources_of(self, technique: Technique) -> tuple[str, ...]:
        return self.technique_sources.get(technique.pk, ())

    def zone_chain(self, zone: BodyZone) -> list[BodyZone]:
        chain, seen = [], set()
        current: BodyZone | None = self.zones.get(zone.pk, zone)
        while current is not None and current.pk not in seen:
            chain.append(current)
            seen.add(current.pk)
            current = self.zones.get(current.parent_id) if current.parent_id else None
        return chain


@dataclass(frozen=True)
class CourseContext:
    """What a course session allows: its number and the progression rule covering it."""

    index: int
    rule: ProgressionRule
    allowed_category_ids: frozenset[int]

    @classmethod
    def for_index(cls, index: int, rules: Iterable[ProgressionRule]) -> CourseContext | None:
        for rule in rules:
            if rule.first_session <= index <= rule.last_session:
                return cls(index, rule, frozenset(c.pk for c in rule.allowed_categories.all()))
        return None

    @property
    def target_minutes(self) -> int:
        return self.rule.minutes_for(self.index)


def check(
    steps: Sequence[StepLike],
    *,
    conditions: Iterable[Contraindication] = (),
    systolic: int | None = None,
    massage_type_id: int | None = None,
    course: CourseContext | None = None,
    rules: RuleBook | None = None,
) -> Report:
    """Every finding for these steps, this person's active conditions and today's reading."""
    rules = rules or RuleBook.load()
    conditions = list(conditions)
    report = Report()
    steps = sorted(steps, key=lambda s: s.position)

    _check_conditions(report, rules, conditions, systolic, massage_type_id, steps)
    for step in steps:
        _check_zone(report, rules, step)
        _check_step_conditions(report, rules, conditions, step)
        _check_step_limits(report, rules, step)
        if course:
            _check_progression(report, course, step)
    _check_structure(report, steps)
    if course:
        total_min = sum(s.duration_s for s in steps) / 60
        if total_min > course.target_minutes * 1.2:
            report.add(
                Finding(
                    "course-too-long",
                    Severity.CAUTION,
                    f"Session {course.index} of a course should last about "
                    f"{course.target_minutes} minutes; this one takes {total_min:.0f}. "
                    "Lengthen sessions gradually.",
                    tuple(course.rule.source_names()),
                )
            )
    return report


def _check_conditions(report, rules, conditions, systolic, massage_type_id, steps) -> None:
    total_minutes = sum(s.duration_s for s in steps) / 60
    for condition in conditions:
        for rule in rules.condition_rules.get(condition.pk, []):
            effect = rule.effect
            sources = tuple(rule.source_names())
            code = f"condition:{rule.code}"
            if effect in ROUTINE_LEVEL_EFFECTS:
                report.add(Finding(code, Severity(rule.severity), rule.message, sources))
            elif effect == ConditionRule.Effect.BP_THRESHOLD:
                if systolic is None:
                    report.add(
                        Finding(
                            f"{code}:unmeasured",
                            Severity.CAUTION,
                            "Measure blood pressure before the session: above "
                            f"{rule.systolic_threshold} mmHg (upper reading) there is no "
                            "massage that day.",
                            sources,
                        )
                    )
                elif systolic > rule.systolic_threshold:
                    report.add(
                        Finding(
                            code,
                            Severity(rule.severity),
                            f"Blood pressure {systolic} mmHg is above "
                            f"{rule.systolic_threshold}: {rule.message}",
                            sources,
                        )
                    )
            elif effect == ConditionRule.Effect.MAX_MINUTES:
                if total_minutes > rule.max_minutes:
                    report.add(
                        Finding(
                            code,
                            Severity(rule.severity),
                            f"{rule.message} (this routine lasts {total_minutes:.0f} min).",
                            sources,
                        )
                    )
            elif (
                effect == ConditionRule.Effect.FORBID_TYPE
                and massage_type_id
                and massage_type_id == rule.massage_type_id
            ):
                report.add(Finding(code, Severity(rule.severity), rule.message, sources))


def _check_zone(report: Report, rules: RuleBook, step: StepLike) -> None:
    zone = rules.zones.get(step.zone.pk, step.zone)
    fired_forbidden = False
    for chain_zone in rules.zone_chain(zone):
        for rule in rules.zone_rules.get(chain_zone.pk, []):
            if rule.matches(step.technique, step.intensity):
                fired_forbidden |= rule.severity == Severity.FORBIDDEN
                report.add(
                    _zone_finding(
                        rule.code,
                        rule.severity,
                        rule.message,
                        tuple(rule.source_names()),
                        step,
                        zone,
                    )
                )
    if not zone.is_targetable and not fired_forbidden:
        message = f"The {zone.name.lower()} is never a target of a step."
        if zone.instead:
            message += f" Work the {zone.instead.name.lower()} instead."
        report.add(
            _zone_finding(
                "zone-not-a-target",
                Severity.FORBIDDEN,
                message,
                tuple(zone.source_names()),
                step,
                zone,
            )
        )


def _zone_finding(code, severity, message, sources, step, zone) -> Finding:
    fix = fix_label = ""
    if severity == Severity.FORBIDDEN and zone.instead_id:
        fix, fix_label = Fix.MOVE_ZONE, f"Move this step to the {zone.instead.name.lower()}"
    return Finding(
        f"zone:{code}", Severity(severity), message, sources, step.position, fix, fix_label
    )


def _check_step_conditions(report, rules, conditions, step) -> None:
    technique = step.technique
    for condition in conditions:
        for rule in rules.condition_rules.get(condition.pk, []):
            effect = rule.effect
            hit = False
            fix = fix_label = ""
            if effect == ConditionRule.Effect.FORBID_CATEGORY:
                hit = technique.category_id == rule.category_id
            elif effect == ConditionRule.Effect.FORBID_TECHNIQUE:
                hit = technique.pk == rule.technique_id
            elif effect == ConditionRule.Effect.FORBID_TYPE:
                # A technique that exists only within the barred type (cupping jars, honey).
                hit = rules.type_members.get(technique.pk) == {rule.massage_type_id}
            elif effect == ConditionRule.Effect.FORCE_DIRECTION:
                hit = step.direction != rule.direction and step.direction not in NEUTRAL_DIRECTIONS
                if hit and rule.direction == Direction.DOWN:
                    fix, fix_label = Fix.DIRECTION_DOWN, "Change the direction to neck → tailbone"
            if hit:
                report.add(
                    Finding(
                        f"condition:{rule.code}",
                        Severity(rule.severity),
                        rule.message,
                        tuple(rule.source_names()),
                        step.position,
                        fix,
                        fix_label,
                    )
                )


def _check_step_limits(report: Report, rules: RuleBook, step: StepLike) -> None:
    technique = step.technique
    if technique.max_seconds and step.duration_s > technique.max_seconds:
        report.add(
            Finding(
                "step-too-long",
                Severity.FORBIDDEN,
                f"{technique.name} lasts at most {_minutes(technique.max_seconds)}; "
                f"this step asks for {_minutes(step.duration_s)}.",
                rules.sources_of(technique),
                step.position,
            )
        )
    if technique.max_reps and step.reps and step.reps > technique.max_reps:
        report.add(
            Finding(
                "step-too-many-reps",
                Severity.FORBIDDEN,
                f"{technique.name} is repeated at most {technique.max_reps} times.",
                rules.sources_of(technique),
                step.position,
            )
        )
    if technique.requires_professional:
        report.add(
            Finding(
                "needs-training",
                Severity.CAUTION,
                f"{technique.name} needs training: leave it to a professional unless you "
                "have learned it properly.",
                (S003, S004),
                step.position,
            )
        )


def _check_progression(report: Report, course: CourseContext, step: StepLike) -> None:
    sources = tuple(course.rule.source_names())
    if step.technique.category_id not in course.allowed_category_ids:
        report.add(
            Finding(
                "course-category-not-yet",
                Severity.FORBIDDEN,
                f"{step.technique.category.name.capitalize()} is not yet part of session "
                f"{course.index}: {course.rule.note}",
                sources,
                step.position,
            )
        )
    if step.intensity > course.rule.max_intensity:
        report.add(
            Finding(
                "course-intensity-cap",
                Severity.FORBIDDEN,
                f"Session {course.index} stays at most "
                f"{Intensity(course.rule.max_intensity).label}.",
                sources,
                step.position,
            )
        )


def _check_structure(report: Report, steps: Sequence[StepLike]) -> None:
    if not steps:
        report.add(
            Finding("routine-empty", Severity.FORBIDDEN, "Add at least one step to start.", ())
        )
        return
    if steps[0].technique.category.slug != STROKING:
        report.add(
            Finding(
                "stroking-first",
                Severity.CAUTION,
                "Every session opens with stroking, to warm the skin and let the person relax.",
                (S000, S001, S002, S003),
                steps[0].position,
                Fix.ADD_OPENING_STROKING,
                "Add an opening stroking step",
            )
        )
    if steps[-1].technique.category.slug != STROKING:
        report.add(
            Finding(
                "stroking-last",
                Severity.CAUTION,
                "Every session closes with stroking, to calm the tissue after the work.",
                (S000, S001, S002, S003),
                steps[-1].position,
                Fix.ADD_CLOSING_STROKING,
                "Add a closing stroking step",
            )
        )
    warmed = False
    percussion_s = 0
    for step in steps:
        category = step.technique.category
        if step.intensity >= Intensity.INTENSE and not warmed:
            report.add(
                Finding(
                    "warm-up-first",
                    Severity.FORBIDDEN,
                    "Intense work only comes after warming work (stroking, then rubbing): "
                    "put a gentler warming step before this one.",
                    (S002, S004),
                    step.position,
                )
            )
        if category.is_warming:
            warmed = True
        if category.slug == PERCUSSION:
            percussion_s += step.duration_s
            if percussion_s > PERCUSSION_LIMIT_S:
                report.add(
                    Finding(
                        "percussion-over-5-minutes",
                        Severity.FORBIDDEN,
                        "Tapping, chopping, patting and clapping together last at most 5 "
                        f"minutes in a session; with this step they reach "
                        f"{_minutes(percussion_s)}.",
                        (S002,),
                        step.position,
                    )
                )


def _minutes(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} s"
    return f"{seconds / 60:.0f} min"


def active_conditions(screening, today: dt.date) -> list[Contraindication]:
    """The screening's conditions in force today; an absent screening declares none."""
    if screening is None:
        return []
    return [d.condition for d in screening.active_conditions(today)]
