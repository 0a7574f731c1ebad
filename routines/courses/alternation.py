"""Alternating massage types over a long treatment.

002 (brief section 5): for long treatment, alternate the types of massage (or change the
therapist) so the body does not get used to one. Two to four courses a year make a year's
treatment; a fifth course in a row of the same type is where the app suggests another type, when
planning it, on the dashboard and on the course page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import ngettext

from ..models import Course, MassageType, Routine
from ..safety.findings import S002

# After this many courses in a row of one type, the next one should be of another type.
ALTERNATE_AFTER = 4
SOURCES = (S002,)


@dataclass(frozen=True)
class Advice:
    """Courses in a row of one massage type, and ready-made routines of other types to try."""

    streak: int
    massage_type: MassageType
    alternatives: tuple[Routine, ...]
    sources: tuple[str, ...] = SOURCES

    @property
    def message(self) -> str:
        return ngettext(
            # Translators: %(massage_type)s is the name of a massage type, e.g. "classic massage".
            "%(count)d course in a row has been %(massage_type)s. For a long treatment the "
            "sources advise alternating massage types, so the body does not get used to one: "
            "make the next course a different type.",
            "%(count)d courses in a row have been %(massage_type)s. For a long treatment the "
            "sources advise alternating massage types, so the body does not get used to one: "
            "make the next course a different type.",
            self.streak,
        ) % {"count": self.streak, "massage_type": self.massage_type.name.lower()}


def streak(courses: Sequence[Course]) -> tuple[int, MassageType | None]:
    """How many of these courses (newest first) in a row share the newest one's massage type."""
    if not courses or courses[0].routine is None or courses[0].routine.massage_type is None:
        return 0, None
    kind = courses[0].routine.massage_type
    count = 0
    for course in courses:
        if course.routine is None or course.routine.massage_type_id != kind.pk:
            break
        count += 1
    return count, kind


def history(owner) -> list[Course]:
    """The person's courses, newest first (as the dashboard lists them), in one query."""
    return list(
        Course.objects.owned_by(owner)
        .select_related("routine__massage_type")
        .order_by("-created_at", "-pk")
    )


def _alternatives(kind: MassageType) -> tuple[Routine, ...]:
    """One ready-made routine per other massage type, to plan the next course from."""
    picked: dict[int, Routine] = {}
    others = (
        Routine.objects.ready_made()
        .exclude(massage_type=kind)
        .exclude(massage_type__isnull=True)
        .select_related("massage_type")
        .order_by("massage_type__name", "name")
    )
    for routine in others:
        picked.setdefault(routine.massage_type_id, routine)
    return tuple(picked.values())


def advice_after(courses: Sequence[Course]) -> Advice | None:
    """Advice for the course after these (newest first), when they end a long run of one type."""
    count, kind = streak(courses)
    if kind is None or count < ALTERNATE_AFTER:
        return None
    return Advice(count, kind, _alternatives(kind))


def advice_for_new(owner, routine: Routine) -> Advice | None:
    """Advice when planning a course from `routine`: would it extend such a run?"""
    if routine.massage_type_id is None:
        return None
    earlier = history(owner)
    count, kind = streak(earlier)
    if kind is None or kind.pk != routine.massage_type_id or count < ALTERNATE_AFTER:
        return None
    return Advice(count, kind, _alternatives(kind))


def advice_for_course(course: Course, courses: Sequence[Course]) -> Advice | None:
    """Advice on a course's page: is it the latest of a long run of one type?

    `courses` is the person's history, newest first; only this course and those before it count.
    """
    ids = [c.pk for c in courses]
    if course.pk not in ids:
        return None
    return advice_after(courses[ids.index(course.pk) :])
