"""Planning a course: a routine turned into 10-15 sessions that start gently and progress.

A plain function module, because one action touches a routine, the progression rules, the
safety engine and two models. Every rule comes from the engine (`routines.safety.check`) and the
`ProgressionRule` rows; this module only applies what they say: it caps intensity at the
session's limit, scales durations toward the session's target minutes, applies the repairs the
engine offers (direction, zone) and drops what the engine still forbids, recording why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import icalendar
from django.db import transaction

from .models import (
    BodyZone,
    Contraindication,
    Course,
    CourseSession,
    Intensity,
    ProgressionRule,
    Routine,
    Severity,
    Side,
    Technique,
)
from .models.routine import MAX_STEP_SECONDS, MIN_STEP_SECONDS
from .plan import build_plan
from .safety import (
    PERCUSSION,
    STEP_FIXES,
    CourseContext,
    Finding,
    Report,
    RuleBook,
    active_conditions,
    check,
    repair,
)

# Findings the planner answers by not lengthening a step, before it would drop the step.
TOO_LONG = "step-too-long"
PERCUSSION_TOO_LONG = "percussion-over-5-minutes"
# Roughly three months between courses: 2-4 courses a year (seed 002).
DAYS_BETWEEN_COURSES = 91
COURSES_PER_YEAR = 4
COURSE_SOURCES = ("002_8d9f8d67dee089ad.txt",)


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


def load_progression() -> list[ProgressionRule]:
    return list(ProgressionRule.objects.prefetch_related("allowed_categories", "sources"))


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


def session_dates(start_date: dt.date, total_sessions: int, rhythm: str) -> list[dt.date]:
    gap = 1 if rhythm == Course.Rhythm.DAILY else 2
    return [start_date + dt.timedelta(days=gap * i) for i in range(total_sessions)]


def plan_course(
    routine: Routine,
    *,
    screening_conditions: Iterable[Contraindication],
    systolic: int | None,
    total_sessions: int,
    rhythm: str,
    start_date: dt.date,
    rules: RuleBook | None = None,
    progression: Sequence[ProgressionRule] | None = None,
) -> list[PlannedSession]:
    """Every session of the course, each one already passed through the safety engine."""
    rules = rules or RuleBook.load()
    progression = progression if progression is not None else load_progression()
    conditions = list(screening_conditions)
    base = routine_steps(routine)
    sessions = []
    for index, day in enumerate(session_dates(start_date, total_sessions, rhythm), start=1):
        context = _context(index, progression)
        sessions.append(
            plan_session(
                base,
                context=context,
                planned_date=day,
                target_minutes=context.target_minutes,
                max_intensity=context.rule.max_intensity,
                conditions=conditions,
                systolic=systolic,
                massage_type_id=routine.massage_type_id,
                rules=rules,
            )
        )
    return sessions


def _context(index: int, progression: Sequence[ProgressionRule]) -> CourseContext:
    context = CourseContext.for_index(index, progression)
    if context is None:
        raise ValueError(f"No progression rule covers session {index}; load the library.")
    return context


def plan_session(
    base: Sequence[PlanStep],
    *,
    context: CourseContext,
    planned_date: dt.date,
    target_minutes: int,
    max_intensity: int,
    conditions: Sequence[Contraindication],
    systolic: int | None,
    massage_type_id: int | None,
    rules: RuleBook,
) -> PlannedSession:
    steps = [
        PlanStep(
            position=s.position,
            technique=s.technique,
            zone=s.zone,
            duration_s=s.duration_s,
            intensity=min(s.intensity, max_intensity),
            direction=s.direction,
            reps=s.reps,
            side=s.side,
            note=s.note,
            base_duration_s=s.base_duration_s,
        )
        for s in base
    ]
    removed: list[dict] = []
    held: set[int] = set()  # positions whose duration may not grow past the routine's own

    def ask() -> Report:
        return check(
            steps,
            conditions=conditions,
            systolic=systolic,
            massage_type_id=massage_type_id,
            course=context,
            rules=rules,
        )

    # Each round either repairs, holds or removes at least one step, so it ends.
    for _ in range(2 * len(steps) + 2):
        _scale(steps, target_minutes * 60, held)
        report = ask()
        forbidden = _forbidden_by_step(report)
        if not forbidden:
            break
        for step in [s for s in steps if s.position in forbidden]:
            findings = forbidden[step.position]
            repairable = [f for f in findings if f.fix in STEP_FIXES]
            rest = [f for f in findings if f.fix not in STEP_FIXES]
            codes = {f.code for f in rest}
            if not rest:
                _repair(step, repairable, rules)
                removed.append(_entry(step, repairable, "changed"))
            elif codes <= {TOO_LONG, PERCUSSION_TOO_LONG} and step.position not in held:
                _repair(step, repairable, rules)
                held.update(_hold(steps, step, codes))
            else:
                steps.remove(step)
                removed.append(_entry(step, rest, "removed"))

    for number, step in enumerate(steps, start=1):
        step.position = number
    report = ask()
    return PlannedSession(
        index=context.index,
        planned_date=planned_date,
        target_minutes=target_minutes,
        max_intensity=max_intensity,
        plan=build_plan(steps, report) if steps else [],
        removed=removed,
        report=report,
        rule_note=context.rule.note,
        rule_sources=tuple(context.rule.source_names()),
        steps=steps,
    )


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
                    f"Session {session.index} would have no step left after the rules: it "
                    f"needs a stroking step. {session.rule_note}",
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


def replan_session(
    session: CourseSession,
    *,
    conditions: Sequence[Contraindication],
    systolic: int | None,
    rules: RuleBook | None = None,
) -> None:
    """Plan a session again at its (possibly held back) minutes and intensity cap."""
    rules = rules or RuleBook.load()
    course = session.course
    routine = course.routine
    if routine is not None:
        base = routine_steps(routine)
        massage_type_id = routine.massage_type_id
    else:
        base = steps_from_plan(session.plan)
        massage_type_id = None
    planned = plan_session(
        base,
        context=_context(session.index, load_progression()),
        planned_date=session.planned_date,
        target_minutes=session.target_minutes,
        max_intensity=session.max_intensity,
        conditions=conditions,
        systolic=systolic,
        massage_type_id=massage_type_id,
        rules=rules,
    )
    if planned.steps:
        session.plan = planned.plan
        session.removed = planned.removed


def courses_in_year(owner, start_date: dt.date) -> int:
    """This person's courses that start less than twelve months before or after `start_date`."""
    year = dt.timedelta(days=365)
    return Course.objects.filter(
        owner=owner, start_date__gt=start_date - year, start_date__lt=start_date + year
    ).count()


# --- Following a course: the engine's gate before a session, dates, the calendar ---------------


def gate(
    session: CourseSession,
    screening,
    today: dt.date,
    *,
    rules: RuleBook | None = None,
    extra_conditions: Sequence[Contraindication] = (),
    systolic: int | None = None,
) -> Report:
    """The engine's verdict on this session's frozen plan, with today's conditions.

    `extra_conditions` are the ones reported on the day (a fever, say); `systolic` is today's
    reading. Without a reading, the screening's usual one stands in.
    """
    routine = session.course.routine
    return check(
        steps_from_plan(session.plan),
        conditions=_conditions_today(screening, today, extra_conditions),
        systolic=_systolic_today(screening, systolic),
        massage_type_id=routine.massage_type_id if routine else None,
        course=_context(session.index, load_progression()),
        rules=rules,
    )


def _conditions_today(
    screening, today: dt.date, extra_conditions: Sequence[Contraindication]
) -> list[Contraindication]:
    conditions = active_conditions(screening, today)
    return conditions + [c for c in extra_conditions if c not in conditions]


def _systolic_today(screening, systolic: int | None) -> int | None:
    if systolic is not None:
        return systolic
    return screening.usual_systolic if screening else None


@dataclass
class StartOutcome:
    plan: list[dict] = field(default_factory=list)
    reason: str = ""
    postponed_until: dt.date | None = None


def start_gate(
    session: CourseSession,
    screening,
    today: dt.date,
    *,
    extra_conditions: Sequence[Contraindication] = (),
    systolic: int | None = None,
) -> StartOutcome:
    """May this session start today? A temporary condition postpones the rest of the course.

    So does whatever the same-day check reports (`extra_conditions`, today's `systolic`), when
    the engine's rules say it does. An absolute condition refuses the start; the course page then
    offers to stop the course, so the person decides. When a condition declared since planning
    rules out single steps, the session is planned again with today's conditions.
    """
    rules = RuleBook.load()
    today_args = {"extra_conditions": extra_conditions, "systolic": systolic}
    report = gate(session, screening, today, rules=rules, **today_args)
    stops = [f for f in report.general if f.severity == Severity.BLOCK]
    if stops:
        return StartOutcome(reason=_reasons(stops))
    waits = [f for f in report.general if f.severity == Severity.POSTPONE]
    if waits:
        until = postpone_date(screening, today, session.course)
        reason = _reasons(waits)
        session.course.postpone_until(until, reason, from_index=session.index)
        return StartOutcome(reason=reason, postponed_until=until)
    if not report.can_start:
        replan_session(
            session,
            conditions=_conditions_today(screening, today, extra_conditions),
            systolic=_systolic_today(screening, systolic),
            rules=rules,
        )
        session.save(update_fields=["plan", "removed"])
        report = gate(session, screening, today, rules=rules, **today_args)
        if not report.can_start:
            return StartOutcome(reason=_reasons(report.blocking))
    return StartOutcome(plan=session.plan)


def _reasons(findings: Iterable[Finding]) -> str:
    return " ".join(dict.fromkeys(f.message for f in findings))


def postpone_date(screening, today: dt.date, course: Course) -> dt.date:
    """The day after the last declared temporary condition ends, or the next rhythm day."""
    ends = []
    if screening is not None:
        ends = [
            d.until
            for d in screening.active_conditions(today)
            if d.until is not None and d.condition.kind == Contraindication.Kind.TEMPORARY
        ]
    if ends:
        return max(ends) + dt.timedelta(days=1)
    return today + dt.timedelta(days=course.interval_days)


def schedule_ics(course: Course, sessions: Iterable[CourseSession], *, now, host: str) -> bytes:
    """One all-day event per session still to do."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Backwise//course schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", course.name)
    routine_name = course.routine.name if course.routine else course.name
    for session in sessions:
        event = icalendar.Event()
        event.add("uid", f"course-{course.pk}-session-{session.index}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", session.planned_date)
        event.add("dtend", session.planned_date + dt.timedelta(days=1))
        event.add("summary", f"Back massage — session {session.index} of {course.total_sessions}")
        event.add(
            "description",
            f"About {session.target_minutes} minutes of {routine_name}. "
            "Open and close with gentle stroking; stop if anything hurts.",
        )
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
