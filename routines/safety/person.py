"""What the engine needs to know about one person on one day, gathered in one place.

Every caller (library pages, builder, course planner, the same-day check, the course page)
builds a `Person` here, so all of them apply one blood-pressure policy:

- while planning (the builder, the planner, the course page) there is no reading of today yet:
  the engine asks for one and warns when the usual reading is already above the limit;
- on the day (a session is about to start) today's reading decides: without it, or above the
  limit, no session starts (brief 3.3 and the rule table of 9, seed 002).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..models import Contraindication, Screening


@dataclass(frozen=True)
class Person:
    conditions: tuple[Contraindication, ...] = ()
    usual_systolic: int | None = None
    systolic_today: int | None = None
    on_the_day: bool = False
    day: dt.date | None = None
    screening: Screening | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, user, day: dt.date, screening: Screening | None = None) -> Person:
        """The person as their screening describes them on `day`, before any same-day check."""
        if screening is None and user is not None and user.is_authenticated:
            screening = Screening.objects.of(user)
        return cls(
            conditions=tuple(active_conditions(screening, day)),
            usual_systolic=screening.usual_systolic if screening else None,
            day=day,
            screening=screening,
        )

    def on(
        self, today_conditions: Sequence[Contraindication] = (), systolic: int | None = None
    ) -> Person:
        """The same person at the start of a session, with the same-day check's answers."""
        extra = tuple(c for c in today_conditions if c not in self.conditions)
        return replace(
            self, conditions=self.conditions + extra, systolic_today=systolic, on_the_day=True
        )

    def temporary_ends(self) -> list[dt.date]:
        """The end dates of the temporary conditions declared in the screening."""
        if self.screening is None or self.day is None:
            return []
        return [
            d.until
            for d in self.screening.active_conditions(self.day)
            if d.until is not None and d.condition.kind == Contraindication.Kind.TEMPORARY
        ]


def active_conditions(screening: Screening | None, day: dt.date) -> list[Contraindication]:
    """The screening's conditions in force on `day`; an absent screening declares none."""
    if screening is None:
        return []
    return [d.condition for d in screening.active_conditions(day)]
