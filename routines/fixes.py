"""Applying the safety engine's certain fixes to a saved routine (the builder's "Fix" buttons)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Routine, RoutineStep
from .safety import ADDING_FIXES, Fix, Person, RuleBook, check, repair, warm_up_missing


class FixRefused(ValueError):
    """The fix is not (or no longer) offered for the routine as it is now."""


def report_for(routine: Routine, person: Person, rules: RuleBook, steps=None):
    steps = list(steps if steps is not None else routine.ordered_steps())
    return check(steps, person, massage_type_id=routine.massage_type_id, rules=rules)


@transaction.atomic
def apply_fix(routine: Routine, code: str, step: RoutineStep | None, person: Person) -> RoutineStep:
    """Apply a fix the engine offers now; returns the step it added or changed."""
    rules = RuleBook.load()
    report = report_for(routine, person, rules)
    offered = any(
        f.fix == code and (step is None or f.step == step.position) for f in report.findings
    )
    if not offered:
        raise FixRefused(_("That fix no longer applies to the routine as it is now."))
    if code in ADDING_FIXES and code != Fix.ADD_WARM_UP_BEFORE:
        added = [routine.add_stroking_step(first=code == Fix.ADD_OPENING_STROKING)]
        return _downward_if_needed(routine, added, person, rules)[0]
    if step is None or step.routine_id != routine.pk:
        raise FixRefused(_("This fix needs one of the routine's steps."))
    if code == Fix.ADD_WARM_UP_BEFORE:
        missing = warm_up_missing(routine.ordered_steps(), step)
        added = routine.add_warm_up_before(step, missing)
        return _downward_if_needed(routine, added, person, rules)[0]
    repair(step, code, rules)
    step.save(update_fields=["zone", "direction", "intensity"])
    return step


def _downward_if_needed(routine: Routine, added, person: Person, rules: RuleBook) -> list:
    """New steps run upward (or in circles); if this person's conditions forbid that, the engine
    says so and offers the downward direction, which is then certain too."""
    again = report_for(routine, person, rules)
    for new in added:
        if any(f.fix == Fix.DIRECTION_DOWN for f in again.for_step(new.position)):
            repair(new, Fix.DIRECTION_DOWN, rules)
            new.save(update_fields=["direction"])
    return added
