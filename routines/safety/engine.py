"""The safety engine: one place that turns the rule data into findings.

The builder, the course planner, the session start and the library pages all ask `check()` (or
`routines.safety.library`, which asks the same functions); none of them re-implements a rule.
Zone and condition rules are rows (authored in `routines/content/`); the structure rules below
are few, fixed by every source, and each carries its own code and sources so a page can cite it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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
# Why a jar step is refused, and the fix's label, by the warming work missing before it.
JAR_NOT_WARMED = {
    (STROKING, RUBBING): gettext_lazy(
        "The jar goes on skin warmed first by stroking and then rubbing; this one has no "
        "stroking and no rubbing before it."
    ),
    (STROKING,): gettext_lazy(
        "The jar goes on skin warmed first by stroking and then rubbing; this one has no "
        "stroking before it."
    ),
    (RUBBING,): gettext_lazy(
        "The jar goes on skin warmed first by stroking and then rubbing; this one has no "
        "rubbing before it."
    ),
}
ADD_WARM_UP = {
    (STROKING, RUBBING): gettext_lazy("Add stroking and rubbing before this step"),
    (STROKING,): gettext_lazy("Add stroking before this step"),
    (RUBBING,): gettext_lazy("Add rubbing before this step"),
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
            raise ValueError(_("No intensity of this technique is allowed on this zone."))
        step.intensity = allowed
    elif code == Fix.MOVE_ZONE:
        zone = rules.zone(step.zone) if rules else step.zone
        if zone.instead is None:
            message = _("The %(zone)s has no zone to move to.") % {"zone": zone.name.lower()}
            raise ValueError(message)
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
            message = _("%(rule)s (this routine lasts %(duration)s).") % {
                "rule": rule.message,
                "duration": duration(total_minutes * 60),
            }
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
    values = {"limit": limit, "today": person.systolic_today, "usual": person.usual_systolic}
    if person.systolic_today is not None:
        if person.systolic_today > limit:
            message = _("Blood pressure %(today)d mmHg is above %(limit)d: %(rule)s") % {
                **values,
                "rule": rule.message,
            }
            return Finding(code, Severity(rule.severity), message, sources)
        message = (
            _(
                "Blood pressure %(today)d mmHg today, within the limit of %(limit)d: "
                "measure again after the massage."
            )
            % values
        )
        return Finding(f"{code}:measured", Severity.CAUTION, message, sources)
    if person.on_the_day:
        message = (
            _(
                "With high blood pressure, today's reading decides: measure it before the session. "
                "Above %(limit)d mmHg (upper reading) there is no massage that day."
            )
            % values
        )
        return Finding(f"{code}:unmeasured", Severity(rule.severity), message, sources)
    if person.usual_systolic is not None and person.usual_systolic > limit:
        message = (
            _(
                "Measure blood pressure before every session: above %(limit)d mmHg (upper reading) "
                "there is no massage that day. Your usual reading, %(usual)d mmHg, is above that "
                "limit: on such a day the session waits."
            )
            % values
        )
    else:
        message = (
            _(
                "Measure blood pressure before every session: above %(limit)d mmHg (upper reading) "
                "there is no massage that day."
            )
            % values
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
                fix, fix_label = Fix.DIRECTION_DOWN, _("Change the direction to neck → tailbone")
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
        message = (
            _("The %(zone)s is never a target of a step. Work the %(instead)s instead.")
            % {"zone": zone.name.lower(), "instead": zone.instead.name.lower()}
            if zone.instead
            else _("The %(zone)s is never a target of a step.") % {"zone": zone.name.lower()}
        )
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
        label = _("Move this step to the %(zone)s") % {"zone": zone.instead.name.lower()}
        return Fix.MOVE_ZONE, label
    return "", ""


def _lower_to(intensity: int) -> str:
    # Translators: %(intensity)s is an intensity: "gentle", "moderate" or "intense".
    return _("Lower this step to %(intensity)s") % {"intensity": Intensity(intensity).label}


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
            label = _lower_to(lowered)
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
        message = _("%(technique)s lasts at most %(limit)s; this step asks for %(asked)s.") % {
            "technique": technique.name,
            "limit": duration(technique.max_seconds),
            "asked": duration(step.duration_s),
        }
        report.add(Finding("step-too-long", Severity.FORBIDDEN, message, sources, step.position))
    if technique.max_reps and step.reps and step.reps > technique.max_reps:
        message = ngettext(
            "%(technique)s is repeated at most %(count)d time.",
            "%(technique)s is repeated at most %(count)d times.",
            technique.max_reps,
        ) % {"technique": technique.name, "count": technique.max_reps}
        report.add(
            Finding("step-too-many-reps", Severity.FORBIDDEN, message, sources, step.position)
        )
    if technique.max_intensity and step.intensity > technique.max_intensity:
        message = (
            _("%(technique)s is always gentle: no pressure, and it must never hurt.")
            if technique.max_intensity == Intensity.GENTLE
            # Translators: %(intensity)s is an intensity: "gentle", "moderate" or "intense".
            else _("%(technique)s goes no further than %(intensity)s.")
        ) % {"technique": technique.name, "intensity": Intensity(technique.max_intensity).label}
        report.add(
            Finding(
                "technique-intensity-cap",
                Severity.FORBIDDEN,
                message,
                sources,
                step.position,
                Fix.LOWER_INTENSITY,
                _lower_to(technique.max_intensity),
            )
        )
    if technique.requires_professional:
        message = _(
            "%(technique)s needs training: leave it to a professional unless you have "
            "learned it properly."
        ) % {"technique": technique.name}
        report.add(
            Finding("needs-training", Severity.CAUTION, message, (S003, S004), step.position)
        )


def _check_progression(report: Report, course: CourseContext, step: StepLike) -> None:
    if step.technique.category_id not in course.allowed_category_ids:
        message = _("%(category)s is not yet part of session %(index)d: %(note)s") % {
            "category": step.technique.category.name.capitalize(),
            "index": course.index,
            "note": course.rule.note,
        }
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
        # Translators: %(intensity)s is an intensity: "gentle", "moderate" or "intense".
        message = _("Session %(index)d stays at most %(intensity)s.") % {
            "index": course.index,
            "intensity": Intensity(course.max_intensity).label,
        }
        report.add(
            Finding(
                "course-intensity-cap", Severity.FORBIDDEN, message, course.sources, step.position
            )
        )


def _check_course_length(report: Report, course: CourseContext, steps) -> None:
    total_min = sum(s.duration_s for s in steps) / 60
    if total_min > course.target_minutes * 1.2:
        message = ngettext(
            "Session %(index)d of a course should last about %(count)d minute; this one takes "
            "%(duration)s. Lengthen sessions gradually.",
            "Session %(index)d of a course should last about %(count)d minutes; this one takes "
            "%(duration)s. Lengthen sessions gradually.",
            course.target_minutes,
        ) % {
            "index": course.index,
            "count": course.target_minutes,
            "duration": duration(total_min * 60),
        }
        report.add(Finding("course-too-long", Severity.CAUTION, message, course.sources))


def _check_structure(report: Report, steps: Sequence[StepLike]) -> None:
    if not steps:
        report.add(
            Finding("routine-empty", Severity.FORBIDDEN, _("Add at least one step to start."), ())
        )
        return
    _check_stroking_ends(report, steps)
    _check_work_order(report, steps)
    warmed, percussion_s = False, 0
    for step in steps:
        category = step.technique.category
        if step.intensity >= Intensity.INTENSE and not warmed:
            message = _(
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
                message = _(
                    "Tapping, chopping, patting and clapping together last at most 5 minutes "
                    "in a session; with this step they reach %(duration)s."
                ) % {"duration": duration(percussion_s)}
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
        _("A mild ache under the jar is expected, and you may go on. If it becomes severe, stop."),
        (S002,),
    )


def _check_work_order(report: Report, steps: Sequence[StepLike]) -> None:
    for step in steps:
        missing = warm_up_missing(steps, step)
        if not missing:
            continue
        if step.technique.slug == CUPPING:
            code, sources = "cupping-after-stroking-and-rubbing", (S002, S004)
            message = str(JAR_NOT_WARMED[tuple(missing)])
        else:
            code, sources = "honey-after-classic-or-cupping", (S002,)
            message = _(
                "Honey massage follows a classic massage (stroking, then rubbing or kneading) "
                "or cupping, on skin that is already warm; nothing of that comes before it here."
            )
        label = str(ADD_WARM_UP[tuple(missing)])
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
                _("Every session opens with stroking, to warm the skin and let the person relax."),
                sources,
                steps[0].position,
                Fix.ADD_OPENING_STROKING,
                _("Add an opening stroking step"),
            )
        )
    if steps[-1].technique.category.slug != STROKING:
        report.add(
            Finding(
                "stroking-last",
                Severity.CAUTION,
                _("Every session closes with stroking, to calm the tissue after the work."),
                sources,
                steps[-1].position,
                Fix.ADD_CLOSING_STROKING,
                _("Add a closing stroking step"),
            )
        )
