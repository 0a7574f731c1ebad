"""Planning a course: a routine turned into 10-15 sessions that start gently and progress.

A plain function module, because one action touches a routine, the progression rules, the
safety engine and two models. Every rule comes from the engine (`routines.safety`), which also
reads the progression rows; this module only applies what it says: it caps intensity at the
session's limit, scales durations toward the session's target minutes, applies the repairs the
engine offers (direction, zone) and drops what the engine still forbids, recording why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import BodyZone, Course, CourseSession, Intensity, Routine, Severity, Side, Technique
from ..models.routine import MAX_STEP_SECONDS, MIN_STEP_SECONDS
from ..safety import (
    PERCUSSION,
    STEP_FIXES,
    CourseContext,
    Finding,
    Person,
    Report,
    RuleBook,
    check,
    repair,
)
from ..sessions.plan import build_plan
from .schedule import session_dates

# Findings the planner answers by not lengthening a step, before it would drop the step.
TOO_LONG = "step-too-long"
PERCUSSION_TOO_LONG = "percussion-over-5-minutes"


@dataclass
class PlanStep:
    """One step being planned; the shape the safety engine and `build_plan` read."""

    position: int
    technique: Technique
    zone: BodyZone
    duration_s: int
    intensity: int
    direction: str
    reps: int | None = None
    side: str = Side.BOTH
    note: str = ""
    base_duration_s: int = 0

    def __post_init__(self) -> None:
        self.base_duration_s = self.base_duration_s or self.duration_s

    @classmethod
    def from_routine_step(cls, step) -> PlanStep:
        return cls(
            position=step.position,
            technique=step.technique,
            zone=step.zone,
            duration_s=step.duration_s,
            intensity=step.intensity,
            direction=step.direction,
            reps=step.reps,
            side=step.side,
            note=step.note,
        )


@dataclass
class PlannedSession:
    index: int
    planned_date: dt.date
    target_minutes: int
    max_intensity: int
    plan: list[dict]
    removed: list[dict]
    report: Report
    rule_note: str = ""
    rule_sources: tuple[str, ...] = ()
    steps: list[PlanStep] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return round(sum(s.duration_s for s in self.steps) / 60)

    @property
    def intensity_label(self) -> str:
        return Intensity(self.max_intensity).label

    @property
    def blocking(self) -> list[Finding]:
        """What stops this session as a whole (a condition, a reading, nothing left to do)."""
        return [f for f in self.report.general if f.stops_start]

    def as_model(self, course: Course) -> CourseSession:
        return CourseSession(
            course=course,
            index=self.index,
            planned_date=self.planned_date,
            target_minutes=self.target_minutes,
            max_intensity=self.max_intensity,
            plan=self.plan,
            removed=self.removed,
        )


def routine_steps(routine: Routine) -> list[PlanStep]:
    steps = routine.steps.select_related("technique__category", "zone").prefetch_related(
        "technique__sources", "zone__sources"
    )
    return [PlanStep.from_routine_step(s) for s in steps.order_by("position")]


def steps_from_plan(plan: Sequence[dict]) -> list[PlanStep]:
    """Rebuild engine-readable steps from a frozen plan (rest steps are left out)."""
    items = [p for p in plan if p.get("kind") == "step"]
    techniques = Technique.objects.select_related("category").prefetch_related("sources")
    techniques = {
        t.slug: t for t in techniques.filter(slug__in={p["technique_slug"] for p in items})
    }
    zones = {z.slug: z for z in BodyZone.objects.filter(slug__in={p["zone_slug"] for p in items})}
    return [
        PlanStep(
            position=p["position"],
            technique=techniques[p["technique_slug"]],
            zone=zones[p["zone_slug"]],
            duration_s=int(p["duration_s"]),
            intensity=int(p["intensity"]),
            direction=p["direction"],
            reps=p.get("reps"),
            side=p.get("side", Side.BOTH),
            note=p.get("note", ""),
        )
        for p in items
        if p["technique_slug"] in techniques and p["zone_slug"] in zones
    ]


def plan_course(
    routine: Routine,
    person: Person,
    *,
    total_sessions: int,
    rhythm: str,
    start_date: dt.date,
    rules: RuleBook | None = None,
) -> list[PlannedSession]:
    """Every session of the course, each one already passed through the safety engine."""
    rules = rules or RuleBook.load()
    base = routine_steps(routine)
    sessions = []
    for index, day in enumerate(session_dates(start_date, total_sessions, rhythm), start=1):
        context = rules.course_context(index)
        planner = SessionPlanner(base, person, routine.massage_type_id, context, rules)
        sessions.append(planner.plan(day, context.target_minutes, context.max_intensity))
    return sessions


@dataclass
class SessionPlanner:
    """Plans one course session: scale the routine to the session, then obey the engine."""

    base: Sequence[PlanStep]
    person: Person
    massage_type_id: int | None
    context: CourseContext
    rules: RuleBook

    def ask(self, steps: Sequence[PlanStep]) -> Report:
        return check(
            steps,
            self.person,
            massage_type_id=self.massage_type_id,
            course=self.context,
            rules=self.rules,
        )

    def plan(self, day: dt.date, target_minutes: int, max_intensity: int) -> PlannedSession:
        steps = [replace(s, intensity=min(s.intensity, max_intensity)) for s in self.base]
        removed = self._obey(steps, target_minutes)
        for number, step in enumerate(steps, start=1):
            step.position = number
        report = self.ask(steps)
        return PlannedSession(
            index=self.context.index,
            planned_date=day,
            target_minutes=target_minutes,
            max_intensity=max_intensity,
            plan=build_plan(steps, report) if steps else [],
            removed=removed,
            report=report,
            rule_note=self.context.rule.note,
            rule_sources=self.context.sources,
            steps=steps,
        )

    def _obey(self, steps: list[PlanStep], target_minutes: int) -> list[dict]:
        """Repair, hold or remove steps until the engine forbids none; what changed, and why."""
        removed: list[dict] = []
        held: set[int] = set()  # positions whose duration may not grow past the routine's own
        # Each round either repairs, holds or removes at least one step, so it ends.
        for _round in range(2 * len(steps) + 2):
            _scale(steps, target_minutes * 60, held)
            forbidden = _forbidden_by_step(self.ask(steps))
            if not forbidden:
                break
            for step in [s for s in steps if s.position in forbidden]:
                findings = forbidden[step.position]
                repairable = [f for f in findings if f.fix in STEP_FIXES]
                rest = [f for f in findings if f.fix not in STEP_FIXES]
                codes = {f.code for f in rest}
                if not rest:
                    _repair(step, repairable, self.rules)
                    removed.append(_entry(step, repairable, "changed"))
                elif codes <= {TOO_LONG, PERCUSSION_TOO_LONG} and step.position not in held:
                    _repair(step, repairable, self.rules)
                    held.update(_hold(steps, step, codes))
                else:
                    steps.remove(step)
                    removed.append(_entry(step, rest, "removed"))
        return removed


def _forbidden_by_step(report: Report) -> dict[int, list[Finding]]:
    forbidden: dict[int, list[Finding]] = {}
    for finding in report.findings:
        if finding.step is not None and finding.stops_start:
            forbidden.setdefault(finding.step, []).append(finding)
    return forbidden


def _repair(step: PlanStep, findings: list[Finding], rules: RuleBook) -> None:
    """Apply the repairs the engine offers because the right answer is certain."""
    for finding in findings:
        repair(step, finding.fix, rules)


def _hold(steps: list[PlanStep], step: PlanStep, codes: set[str]) -> set[int]:
    """Keep a step (or all percussion, when their total is too long) at the routine's length."""
    targets = [step]
    if PERCUSSION_TOO_LONG in codes:
        targets = [s for s in steps if s.technique.category.slug == PERCUSSION]
    for target in targets:
        target.duration_s = min(target.duration_s, target.base_duration_s)
    return {t.position for t in targets}


def _scale(steps: list[PlanStep], target_s: int, held: set[int]) -> None:
    """Stretch or shrink the free steps so the session lasts about its target."""
    fixed_s = sum(s.duration_s for s in steps if s.position in held)
    free = [s for s in steps if s.position not in held]
    base_s = sum(s.base_duration_s for s in free)
    if not free or not base_s:
        return
    factor = max(target_s - fixed_s, 0) / base_s
    for step in free:
        seconds = round(step.base_duration_s * factor)
        step.duration_s = max(MIN_STEP_SECONDS, min(MAX_STEP_SECONDS, seconds))


def _entry(step: PlanStep, findings: list[Finding], action: str) -> dict:
    sources = sorted({s for f in findings for s in f.sources})
    return {
        "technique": step.technique.name,
        "zone": step.zone.name,
        "reason": " ".join(dict.fromkeys(f.message for f in findings)),
        "sources": sources,
        "action": action,
    }


def plan_blockers(sessions: Sequence[PlannedSession]) -> list[Finding]:
    """Why these sessions cannot become a course: the engine's general stops, or empty sessions."""
    blockers: list[Finding] = []
    for session in sessions:
        for finding in session.blocking:
            if finding not in blockers:
                blockers.append(finding)
        if not session.steps:
            blockers.append(
                Finding(
                    "course-session-empty",
                    Severity.FORBIDDEN,
                    _(
                        "Session %(index)d would have no step left after the rules: it needs a "
                        "stroking step. %(note)s"
                    )
                    % {"index": session.index, "note": session.rule_note},
                    session.rule_sources,
                )
            )
    return blockers


@transaction.atomic
def create_course(
    owner, routine: Routine, sessions: Sequence[PlannedSession], *, name: str, rhythm: str
) -> Course:
    """Save the course and all its sessions together; a ready-made routine is copied first."""
    if routine.is_ready_made:
        routine = routine.copy_for(owner)
    course = Course.objects.create(
        owner=owner,
        routine=routine,
        name=name,
        total_sessions=len(sessions),
        rhythm=rhythm,
        start_date=sessions[0].planned_date,
    )
    CourseSession.objects.bulk_create([s.as_model(course) for s in sessions])
    return course


def replan_session(session: CourseSession, person: Person, rules: RuleBook | None = None) -> None:
    """Plan a session again at its (possibly held back) minutes and intensity cap."""
    rules = rules or RuleBook.load()
    routine = session.course.routine
    if routine is not None:
        base, massage_type_id = routine_steps(routine), routine.massage_type_id
    else:
        base, massage_type_id = steps_from_plan(session.plan), None
    context = rules.course_context(session.index)
    planner = SessionPlanner(base, person, massage_type_id, context, rules)
    planned = planner.plan(session.planned_date, session.target_minutes, session.max_intensity)
    if planned.steps:
        session.plan = planned.plan
        session.removed = planned.removed
