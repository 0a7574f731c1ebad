"""What the engine answers: findings, the report that holds them, and the fixes it can offer."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Severity

S000 = "000_c9d1c14d166b50cd.txt"
S001 = "001_41fec4d5656dcbf4.txt"
S002 = "002_8d9f8d67dee089ad.txt"
S003 = "003_b1d25f8055cbe56c.txt"
S004 = "004_bc8b1b57dafa8bba.txt"


class Fix:
    """Repairs the engine can offer because the right answer is certain."""

    ADD_OPENING_STROKING = "add-opening-stroking"
    ADD_CLOSING_STROKING = "add-closing-stroking"
    MOVE_ZONE = "move-zone"
    DIRECTION_DOWN = "direction-down"
    LOWER_INTENSITY = "lower-intensity"
    ADD_WARM_UP_BEFORE = "add-warm-up-before"


STEP_FIXES = {Fix.MOVE_ZONE, Fix.DIRECTION_DOWN, Fix.LOWER_INTENSITY}
ADDING_FIXES = {Fix.ADD_OPENING_STROKING, Fix.ADD_CLOSING_STROKING, Fix.ADD_WARM_UP_BEFORE}


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
    def general_stops(self) -> list[Finding]:
        """What stops the session as a whole: a condition or today's reading."""
        return [f for f in self.general if f.stops_start]

    def of_severity(self, *severities: Severity) -> list[Finding]:
        return [f for f in self.general if f.severity in severities]

    @property
    def verdict(self) -> str:
        worst = self.worst
        return "ok" if worst is None else str(worst)

    def sorted(self) -> list[Finding]:
        return sorted(self.findings, key=lambda f: (Severity(f.severity).rank, f.step or 0))

    def reasons(self, findings=None) -> str:
        """The messages of these findings (the stops by default), each once."""
        chosen = self.blocking if findings is None else findings
        return " ".join(dict.fromkeys(f.message for f in chosen))
