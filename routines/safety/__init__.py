"""The safety engine: rule rows in, findings out. The only reader of the rules.

- `engine`: `check()` on a routine's steps, and the certain repairs (`repair()`);
- `rulebook`: the rule rows, loaded once per request;
- `person`: what the engine needs to know about a person on a day (one blood-pressure policy);
- `findings`: what it answers;
- `library`: its answers for the library pages.
"""

from .engine import (
    NEUTRAL_DIRECTIONS,
    PERCUSSION,
    STROKING,
    StepLike,
    check,
    mild_pain_allowance,
    person_stops,
    repair,
    warm_up_missing,
)
from .findings import ADDING_FIXES, STEP_FIXES, Finding, Fix, Report
from .person import Person, active_conditions
from .rulebook import CourseContext, RuleBook

__all__ = [
    "ADDING_FIXES",
    "NEUTRAL_DIRECTIONS",
    "PERCUSSION",
    "STEP_FIXES",
    "STROKING",
    "CourseContext",
    "Finding",
    "Fix",
    "Person",
    "Report",
    "RuleBook",
    "StepLike",
    "active_conditions",
    "check",
    "mild_pain_allowance",
    "person_stops",
    "repair",
    "warm_up_missing",
]
