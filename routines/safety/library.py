"""The engine's answers for the library pages.

A technique page asks where the technique is forbidden or needs care, at which intensity and
why, and which conditions rule it out; a zone page asks which techniques it refuses or cautions.
Each answer comes from the same functions `check()` runs on a real step, tried at every
intensity, so a page can never say more or less than the engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..models import BodyZone, Contraindication, Direction, Intensity, Severity, Technique
from .engine import condition_step_findings, zone_findings
from .findings import Finding
from .rulebook import RuleBook

INTENSITIES = [int(i) for i in Intensity]


@dataclass
class _Probe:
    """A one-step routine the engine judges: this technique, on this zone, at this intensity."""

    technique: Technique
    zone: BodyZone
    intensity: int
    position: int = 1
    duration_s: int = 60
    reps: int | None = None
    # A neutral direction: only a condition's forced direction depends on it, and that is a
    # matter of how a step is done, not of the technique.
    direction: str = Direction.STATIC


@dataclass
class Restriction:
    """One rule the engine applies to a technique on a zone, and the intensities it covers."""

    zone: BodyZone
    finding: Finding
    intensities: list[int] = field(default_factory=list)

    @property
    def severity(self) -> str:
        return str(self.finding.severity)

    @property
    def from_intensity(self) -> int | None:
        """The lowest intensity it applies at, when it does not apply at every intensity."""
        lowest = min(self.intensities)
        return None if lowest == INTENSITIES[0] else lowest

    @property
    def from_intensity_label(self) -> str:
        return Intensity(self.from_intensity).label if self.from_intensity else ""


def restrictions(rules: RuleBook, technique: Technique, zone: BodyZone) -> list[Restriction]:
    """What the engine says about `technique` on `zone`, rule by rule, over all intensities."""
    found: dict[str, Restriction] = {}
    for intensity in INTENSITIES:
        for finding in zone_findings(rules, _Probe(technique, zone, intensity)):
            entry = found.setdefault(finding.code, Restriction(rules.zone(zone), finding))
            entry.intensities.append(intensity)
    return sorted(found.values(), key=lambda r: (Severity(r.severity).rank, r.finding.code))


def technique_restrictions(
    rules: RuleBook, technique: Technique, zones: Iterable[BodyZone] | None = None
) -> list[Restriction]:
    """Every zone where the engine forbids or cautions this technique, at some intensity."""
    zones = zones if zones is not None else rules.zones.values()
    found = [r for zone in zones for r in restrictions(rules, technique, zone)]
    return sorted(found, key=lambda r: (Severity(r.severity).rank, r.zone.name, r.finding.code))


@dataclass
class Verdict:
    """How the engine treats one technique on one zone."""

    technique: Technique
    restrictions: list[Restriction]

    def forbidden_at(self) -> list[int]:
        return sorted(
            {
                i
                for r in self.restrictions
                if r.severity == Severity.FORBIDDEN
                for i in r.intensities
            }
        )

    @property
    def forbidden_everywhere(self) -> bool:
        return self.forbidden_at() == INTENSITIES

    @property
    def forbidden_from(self) -> str:
        """The intensity from which it is refused, when only stronger work is refused."""
        at = self.forbidden_at()
        return Intensity(at[0]).label if at and at != INTENSITIES else ""

    @property
    def cautions(self) -> list[Restriction]:
        return [r for r in self.restrictions if r.severity == Severity.CAUTION]


def zone_verdicts(
    rules: RuleBook, zone: BodyZone, techniques: Iterable[Technique]
) -> list[Verdict]:
    return [Verdict(t, restrictions(rules, t, zone)) for t in techniques]


@dataclass
class RuledOut:
    condition: Contraindication
    finding: Finding


def conditions_ruling_out(rules: RuleBook, technique: Technique) -> list[RuledOut]:
    """Conditions under which the engine refuses or cautions every step of this technique.

    Conditions that rule out any massage at all are on the contraindications page, not here.
    """
    probe = _Probe(technique, next(iter(rules.zones.values()), None), INTENSITIES[0])
    found = []
    for rules_of_condition in rules.condition_rules.values():
        condition = rules_of_condition[0].condition
        for finding in condition_step_findings(rules, [condition], probe):
            found.append(RuledOut(condition, finding))
    return sorted(found, key=lambda r: (Severity(r.finding.severity).rank, r.condition.name))
