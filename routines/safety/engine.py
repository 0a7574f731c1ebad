"""The safety engine: one place that turns the rule data into findings.

The builder, the course planner, the session start and the library pages all ask `check()` (or
`routines.safety.library`, which asks the same functions); none of them re-implements a rule.
Zone and condition rules are rows (authored in `routines/content/`); the structure rules below
are few, fixed by every source, and each carries its own code and sources so a page can cite it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ..durations import duration
from ..models import BodyZone, ConditionRule, Direction, Intensity, Severity, Technique
from .findings import S000, S001, S002, S003, S004, Finding, Fix, Report
from .person import Person
from .rulebook import CourseContext, RuleBook, zone_rule_fires

PERCUSSION_LIMIT_S = 300
STROKING = "stroking"
RUBBING = "rubbing"
PERCUSSION = "percussion"
# Work that must follow other work (002, 004): the jar needs the skin warmed by stroking and
# rubbing; honey goes on skin already worked by classic massage (rubbing, kneading) or the jar.
CUPPING = "cupping"
HONEY = "honey-massage"
CLASSIC_WORK = {RUBBING, "kneading"}
ROUTINE_LEVEL_EFFECTS = {
    ConditionRule.Effect.BLOCK,
    ConditionRule.Effect.POSTPONE,
    ConditionRule.Effect.CAUTION,
}
# Work held in place moves no blood along the back; every moving step (circles and strokes out
# to the sides included) must then travel the forced way: "every movement", says 002.
NEUTRAL_DIRECTIONS = {Direction.STATIC}


class StepLike(Protocol):
    position: int
    technique: Technique
    zone: BodyZone
    intensity: int
    duration_s: int
    reps: int | None
    direction: str


def check(
    steps: Sequence[StepLike],
    person: Person | None = None,
    *,
    massage_type_id: int | None = None,
    course: CourseContext | None = None,
    rules: RuleBook | None = None,
) -> Report:
    """Every finding for these steps, for this person on this day."""
    rules = rules or RuleBook.load()
    person = person or Person()
    report = Report()
    steps = sorted(steps, key=lambda s: s.position)
    _check_conditions(report, rules, person, massage_type_id, steps)
    for step in steps:
        for finding in zone_findings(rules, step):
            report.add(finding)
        for finding in condition_step_findings(rules, person.conditions, step):
            report.add(finding)
        _check_step_limits(report, rules, step)
        if course:
            _check_progression(report, course, step)
    _check_structure(report, steps)
    if course:
        _check_course_length(report, course, steps)
    return report


def repair(step: StepLike, code: str, rules: RuleBook | None = None) -> None:
    """Apply one of the engine's certain step-level repairs to a step in memory.

    The builder saves the step afterwards; the course planner keeps it in its plan. Raises
    ValueError when the repair does not fit the step.
    """
    if code == Fix.DIRECTION_DOWN:
        step.direction = Direction.DOWN
    elif code == Fix.LOWER_INTENSITY:
        allowed = allowed_intensity(rules or RuleBook.load(), step)
        if allowed is None:
            raise ValueError("No intensity of this technique is allowed on this zone.")
        step.intensity = allowed
    elif code == Fix.MOVE_ZONE:
        zone = rules.zone(step.zone) if rules else step.zone
        if zone.instead is None:
            raise ValueError(f"The {zone.name.lower()} has no zone to move to.")
        step.zone = zone.instead
    else:
        raise ValueError(f"Unknown fix {code!r}.")


# --- Conditions of the person -------------------------------------------------------------------


def _check_conditions(report, rules, person: Person, massage_type_id, steps) -> None:
    total_minutes = sum(s.duration_s for s in steps) / 60
    for rule in rules.rules_of(person.conditions):
        effect, sources = rule.effect, tuple(rule.source_names())
        code = f"condition:{rule.code}"
        if effect in ROUTINE_LEVEL_EFFECTS:
            report.add(Finding(code, Severity(rule.severity), rule.message, sources))
        elif effect == ConditionRule.Effect.BP_THRESHOLD:
            report.add(blood_pressure_finding(rule, person))
        elif effect == ConditionRule.Effect.MAX_MINUTES and total_minutes > rule.max_minutes:
            message = f"{rule.message} (this routine lasts {duration(total_minutes * 60)})."
            report.add(Finding(code, Severity(rule.severity), message, sources))
        elif effect == ConditionRule.Effect.FORBID_TYPE and massage_type_id == rule.massage_type_id:
            report.add(Finding(code, Severity(rule.severity), rule.message, sources))


def person_stops(person: Person, rules: RuleBook | None = None) -> list[Finding]:
    """What stops any session of this person that day, whatever its steps: the conditions that
    block massage or postpone it (and a reading above the limit on the day).

    The same findings `check()` reports as BLOCK or POSTPONE for any routine, so a page that
    only needs to know "may a session start that day" (the dashboard) asks this cheaper question
    and still agrees with the course page and the same-day check.
    """
    report = Report()
    _check_conditions(report, rules or RuleBook.load(), person, None, [])
    return report.of_severity(Severity.BLOCK, Severity.POSTPONE)


def blood_pressure_finding(rule: ConditionRule, person: Person) -> Finding:
    """The one blood-pressure policy (see `routines.safety.person`)."""
    limit, sources = rule.systolic_threshold, tuple(rule.source_names())
    code = f"condition:{rule.code}"
    if person.systolic_today is not None:
        if person.systolic_today > limit:
            message = (
                f"Blood pressure {person.systolic_today} mmHg is above {limit}: {rule.message}"
            )
            return Finding(code, Severity(rule.severity), message, sources)
        message = (
            f"Blood pressure {person.systolic_today} mmHg today, within the limit of {limit}: "
            "measure again after the massage."
        )
        return Finding(f"{code}:measured", Severity.CAUTION, message, sources)
    if person.on_the_day:
        message = (
            "With high blood pressure, today's reading decides: measure it before the session. "
            f"Above {limit} mmHg (upper reading) there is no massage that day."
        )
        return Finding(f"{code}:unmeasured", Severity(rule.severity), message, sources)
    message = (
        f"Measure blood pressure before every session: above {limit} mmHg (upper reading) "
        "there is no massage that day."
    )
    if person.usual_systolic is not None and person.usual_systolic > limit:
        message += (
            f" Your usual reading, {person.usual_systolic} mmHg, is above that limit: on such a "
            "day the session waits."
        )
    return Finding(f"{code}:unmeasured", Severity.CAUTION, message, sources)


def condition_step_findings(rules: RuleBook, conditions, step: StepLike) -> list[Finding]:
    """What the person's conditions say about one step."""
    technique, found = step.technique, []
    for rule in rules.rules_of(conditions):
        effect, hit, fix, fix_label = rule.effect, False, "", ""
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
            found.append(
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
    return found


# --- The zone of a step -------------------------------------------------------------------------


def _forbidden_on_zone(rules: RuleBook, step: StepLike, intensity: int) -> bool:
    return any(
        rule.severity == Severity.FORBIDDEN and zone_rule_fires(rule, step.technique, intensity)
        for rule in rules.rules_on(step.zone)
    )


def allowed_intensity(rules: RuleBook, step: StepLike) -> int | None:
    """The strongest intensity below the step's own that neither a zone rule nor the
    technique's own cap forbids, if any."""
    ceiling = int(step.intensity) - 1
    if step.technique.max_intensity:
        ceiling = min(ceiling, int(step.technique.max_intensity))
    for intensity in range(ceiling, int(Intensity.GENTLE) - 1, -1):
        if not _forbidden_on_zone(rules, step, intensity):
            return intensity
    return None


def zone_findings(rules: RuleBook, step: StepLike) -> list[Finding]:
    """What the zone (and the zones it is part of) says about one step."""
    zone = rules.zone(step.zone)
    found = [
        _zone_finding(rule, step, zone, rules)
        for rule in rules.rules_on(zone)
        if zone_rule_fires(rule, step.technique, step.intensity)
    ]
    if not zone.is_targetable and not any(f.severity == Severity.FORBIDDEN for f in found):
        message = f"The {zone.name.lower()} is never a target of a step."
        if zone.instead:
            message += f" Work the {zone.instead.name.lower()} instead."
        fix, label = _move_fix(zone)
        found.append(
            Finding(
                "zone:zone-not-a-target",
                Severity.FORBIDDEN,
                message,
                tuple(zone.source_names()),
                step.position,
                fix,
                label,
            )
        )
    return found


def _move_fix(zone: BodyZone) -> tuple[str, str]:
    if zone.instead_id:
        return Fix.MOVE_ZONE, f"Move this step to the {zone.instead.name.lower()}"
    return "", ""


def _zone_finding(rule, step: StepLike, zone: BodyZone, rules: RuleBook) -> Finding:
    """A zone rule's finding, with the certain fix when there is one.

    A rule that refuses only stronger work (an intensity cap, like "light work only over the
    heart") is fixed by lowering the step to the strongest intensity the zone allows.
    """
    fix = label = ""
    if rule.severity == Severity.FORBIDDEN:
        fix, label = _move_fix(zone)
        lowered = allowed_intensity(rules, step) if rule.min_intensity else None
        if not fix and lowered is not None:
            fix = Fix.LOWER_INTENSITY
            label = f"Lower this step to {Intensity(lowered).label}"
    sources = tuple(rule.source_names())
    return Finding(
        f"zone:{rule.code}",
        Severity(rule.severity),
        rule.message,
        sources,
        step.position,
        fix,
        label,
    )


# --- The step itself, the course, the shape of the session --------------------------------------


def _check_step_limits(report: Report, rules: RuleBook, step: StepLike) -> None:
    technique, sources = step.technique, rules.sources_of(step.technique)
    if technique.max_seconds and step.duration_s > technique.max_seconds:
        message = (
            f"{technique.name} lasts at most {duration(technique.max_seconds)}; "
            f"this step asks for {duration(step.duration_s)}."
        )
        report.add(Finding("step-too-long", Severity.FORBIDDEN, message, sources, step.position))
    if technique.max_reps and step.reps and step.reps > technique.max_reps:
        message = f"{technique.name} is repeated at most {technique.max_reps} times."
        report.add(
            Finding("step-too-many-reps", Severity.FORBIDDEN, message, sources, step.position)
        )
    if technique.max_intensity and step.intensity > technique.max_intensity:
        cap = Intensity(technique.max_intensity).label
        message = (
            f"{technique.name} is always {cap}: no pressure, and it must never hurt."
            if technique.max_intensity == Intensity.GENTLE
            else f"{technique.name} goes no further than {cap}."
        )
        report.add(
            Finding(
                "technique-intensity-cap",
                Severity.FORBIDDEN,
                message,
                sources,
                step.position,
                Fix.LOWER_INTENSITY,
                f"Lower this step to {cap}",
            )
        )
    if technique.requires_professional:
        message = (
            f"{technique.name} needs training: leave it to a professional unless you have "
            "learned it properly."
        )
        report.add(
            Finding("needs-training", Severity.CAUTION, message, (S003, S004), step.position)
        )


def _check_progression(report: Report, course: CourseContext, step: StepLike) -> None:
    if step.technique.category_id not in course.allowed_category_ids:
        message = (
            f"{step.technique.category.name.capitalize()} is not yet part of session "
            f"{course.index}: {course.rule.note}"
        )
        report.add(
            Finding(
                "course-category-not-yet",
                Severity.FORBIDDEN,
                message,
                course.sources,
                step.position,
            )
        )
    if step.intensity > course.max_intensity:
        message = f"Session {course.index} stays at most {Intensity(course.max_intensity).label}."
        report.add(
            Finding(
                "course-intensity-cap", Severity.FORBIDDEN, message, course.sources, step.position
            )
        )


def _check_course_length(report: Report, course: CourseContext, steps) -> None:
    total_min = sum(s.duration_s for s in steps) / 60
    if total_min > course.target_minutes * 1.2:
        message = (
            f"Session {course.index} of a course should last about {course.target_minutes} "
            f"minutes; this one takes {duration(total_min * 60)}. Lengthen sessions gradually."
        )
        report.add(Finding("course-too-long", Severity.CAUTION, message, course.sources))


def _check_structure(report: Report, steps: Sequence[StepLike]) -> None:
    if not steps:
        report.add(
            Finding("routine-empty", Severity.FORBIDDEN, "Add at least one step to start.", ())
        )
        return
    _check_stroking_ends(report, steps)
    _check_work_order(report, steps)
    warmed, percussion_s = False, 0
    for step in steps:
        category = step.technique.category
        if step.intensity >= Intensity.INTENSE and not warmed:
            message = (
                "Intense work only comes after warming work (stroking, then rubbing): put a "
                "gentler warming step before this one."
            )
            report.add(
                Finding("warm-up-first", Severity.FORBIDDEN, message, (S002, S004), step.position)
            )
        warmed = warmed or category.is_warming
        if category.slug == PERCUSSION:
            percussion_s += step.duration_s
            if percussion_s > PERCUSSION_LIMIT_S:
                message = (
                    "Tapping, chopping, patting and clapping together last at most 5 minutes "
                    f"in a session; with this step they reach {duration(percussion_s)}."
                )
                report.add(
                    Finding(
                        "percussion-over-5-minutes",
                        Severity.FORBIDDEN,
                        message,
                        (S002,),
                        step.position,
                    )
                )


def warm_up_missing(steps: Sequence[StepLike], step: StepLike) -> list[str]:
    """The warming categories (stroking, rubbing) that must still come before `step`.

    The jar goes on skin warmed by stroking and then rubbing (002, 004); honey follows classic
    work (rubbing, kneading) or the jar (002). Other steps need nothing before them here.
    """
    slug = step.technique.slug
    if slug not in {CUPPING, HONEY}:
        return []
    done: set[str] = set()
    for earlier in steps:
        if earlier.position >= step.position:
            break
        done |= {earlier.technique.category.slug, earlier.technique.slug}
    missing = [c for c in (STROKING, RUBBING) if c not in done]
    if slug == HONEY and (done & CLASSIC_WORK or CUPPING in done):
        return []
    return missing


def mild_pain_allowance(technique: Technique) -> Finding | None:
    """Pain means ease off or stop, except a mild ache under the jar, which may be borne.

    002 (brief 1.7, 3.4): with cupping, mild pain is tolerated; stop when it becomes severe.
    """
    if technique.slug != CUPPING:
        return None
    return Finding(
        "cupping-mild-pain-ok",
        Severity.CAUTION,
        "A mild ache under the jar is expected, and you may go on. If it becomes severe, stop.",
        (S002,),
    )


def _check_work_order(report: Report, steps: Sequence[StepLike]) -> None:
    for step in steps:
        missing = warm_up_missing(steps, step)
        if not missing:
            continue
        if step.technique.slug == CUPPING:
            code, sources = "cupping-after-stroking-and-rubbing", (S002, S004)
            message = (
                "The jar goes on skin warmed first by stroking and then rubbing; this one has "
                f"no {' and no '.join(missing)} before it."
            )
        else:
            code, sources = "honey-after-classic-or-cupping", (S002,)
            message = (
                "Honey massage follows a classic massage (stroking, then rubbing or kneading) "
                "or cupping, on skin that is already warm; nothing of that comes before it here."
            )
        label = "Add " + " and ".join(missing) + " before this step"
        report.add(
            Finding(
                code,
                Severity.FORBIDDEN,
                message,
                sources,
                step.position,
                Fix.ADD_WARM_UP_BEFORE,
                label,
            )
        )


def _check_stroking_ends(report: Report, steps: Sequence[StepLike]) -> None:
    sources = (S000, S001, S002, S003)
    if steps[0].technique.category.slug != STROKING:
        report.add(
            Finding(
                "stroking-first",
                Severity.CAUTION,
                "Every session opens with stroking, to warm the skin and let the person relax.",
                sources,
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
                sources,
                steps[-1].position,
                Fix.ADD_CLOSING_STROKING,
                "Add a closing stroking step",
            )
        )
