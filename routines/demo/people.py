"""Who the demo people are, and writing them in bulk.

Fast at scale because nothing is done per person that can be done once: each distinct course (a
ready-made routine x the conditions it is planned under) is planned once through the real
planner, `plan_course`, and shared; the password is hashed once; and each batch of people is
written with `bulk_create` in one transaction, so a batch exists whole or not at all. A person
is there when their user is: a second run skips them, a larger count adds only the rest.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import reset_queries, transaction

from ..courses.planner import PlannedSession, plan_blockers, plan_course
from ..courses.schedule import postpone_while_waiting
from ..models import Contraindication, Course, DeclaredCondition, Routine, RoutineStep, Screening
from ..safety import Person, RuleBook
from . import history

DEFAULT_PASSWORD = "backwise-demo"
USERNAME_PREFIX = "demo"
# Only names this command gives out: a real person called "demolition" is never touched.
USERNAME_PATTERN = rf"^{USERNAME_PREFIX}[0-9]{{4,}}$"
ROUTINES_EACH = 2
BATCH = 250
BULK = 1000  # rows per INSERT statement
HYPERTENSION = "hypertension"
# Temporary conditions: one still going on (its end is days away), or one over long ago.
ONGOING = ("acute-pain", "fever", "menstruation", "exacerbation")
ENDED = ("fresh-injury", "allergic-rash", "acute-inflammation")
USUAL_SYSTOLIC = (128, 135, 142, 150, 158)


def username(number: int) -> str:
    return f"{USERNAME_PREFIX}{number:04d}"


@dataclass(frozen=True)
class Profile:
    """What demo person `number` declared in their screening."""

    number: int
    condition: str = ""
    usual_systolic: int | None = None
    until: dt.date | None = None

    @property
    def planned_with(self) -> tuple[str, ...]:
        """The conditions their courses were planned under: a temporary one came later."""
        return (HYPERTENSION,) if self.condition == HYPERTENSION else ()

    @property
    def waits(self) -> bool:
        """A temporary condition still going on: their course has moved past it."""
        return self.condition in ONGOING


def profile_for(number: int, today: dt.date) -> Profile:
    """Seven in ten declare nothing, two high blood pressure, one a temporary condition."""
    rng = random.Random(f"profile-{number}")
    match number % 10:
        case 3 | 7:
            return Profile(number, HYPERTENSION, usual_systolic=rng.choice(USUAL_SYSTOLIC))
        case 5 if number // 10 % 2 == 0:
            until = today + dt.timedelta(days=rng.randint(1, 5))
            return Profile(number, rng.choice(ONGOING), until=until)
        case 5:
            until = today - dt.timedelta(days=rng.randint(20, 90))
            return Profile(number, rng.choice(ENDED), until=until)
    return Profile(number)


class PlanBook:
    """Each distinct course planned once, through the real planner, then shared by everyone.

    The usual blood-pressure reading only changes a course's general cautions, which are not
    stored with its sessions, so the plans are told apart by routine and conditions alone.
    """

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.rules = RuleBook.load()
        steps_and_sources = ("steps", "sources")
        self.ready_made = list(
            Routine.objects.ready_made().order_by("slug").prefetch_related(*steps_and_sources)
        )
        if len(self.ready_made) < ROUTINES_EACH:
            raise ValueError("Load the library first (manage.py load_library).")
        self.conditions = {c.slug: c for c in Contraindication.objects.all()}
        self._plans: dict[tuple, list[PlannedSession] | None] = {}

    def sessions(self, routine: Routine, profile: Profile) -> list[PlannedSession] | None:
        """The 15 planned sessions of a course from `routine`; None when the rules refuse it."""
        key = (routine.pk, profile.planned_with)
        if key not in self._plans:
            person = Person(
                conditions=tuple(self.conditions[slug] for slug in profile.planned_with),
                day=self.today,
            )
            planned = plan_course(
                routine,
                person,
                total_sessions=history.SESSIONS_EACH,
                rhythm=Course.Rhythm.EVERY_OTHER_DAY,
                start_date=self.today,
                rules=self.rules,
            )
            self._plans[key] = None if plan_blockers(planned) else planned
        return self._plans[key]

    def routines_for(self, profile: Profile) -> list[Routine]:
        """Two different ready-made routines this person may follow as courses."""
        order = random.Random(f"routines-{profile.number}").sample(
            self.ready_made, len(self.ready_made)
        )
        fits = (r for r in order if self.sessions(r, profile) is not None)
        chosen = [r for _, r in zip(range(ROUTINES_EACH), fits, strict=False)]
        if len(chosen) < ROUTINES_EACH:
            raise ValueError(f"Too few ready-made routines fit {profile}.")
        return chosen


@dataclass(frozen=True)
class Seeded:
    created: int
    existing: int
    seconds: float


def seed(
    people: int,
    *,
    today: dt.date,
    now: dt.datetime,
    password: str = DEFAULT_PASSWORD,
    batch: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> Seeded:
    """Make sure demo people 1..`people` exist, creating only the missing ones."""
    began = time.monotonic()
    demo_users = get_user_model().objects.filter(username__regex=USERNAME_PATTERN)
    names = set(demo_users.values_list("username", flat=True))
    wanted = range(1, people + 1)
    missing = [n for n in wanted if username(n) not in names]
    existing = people - len(missing)
    password_hash = _password_hash(password, demo_users)
    if missing:
        book = PlanBook(today)
        for start in range(0, len(missing), batch):
            _seed_batch(missing[start : start + batch], book, password_hash, today, now)
            reset_queries()  # with DEBUG on, Django keeps every (large) INSERT it ran
            if progress:
                progress(min(start + batch, len(missing)), len(missing))
    return Seeded(len(missing), existing, time.monotonic() - began)


def _password_hash(password: str, demo_users) -> str:
    """One hash for everyone: hashing is slow on purpose. A new password reaches all of them."""
    sample = demo_users.order_by("pk").first()
    if sample is not None and check_password(password, sample.password):
        return sample.password
    password_hash = make_password(password)
    if sample is not None:
        demo_users.update(password=password_hash)
    return password_hash


@transaction.atomic
def _seed_batch(
    numbers: list[int], book: PlanBook, password_hash: str, today: dt.date, now: dt.datetime
) -> None:
    profiles = [profile_for(n, today) for n in numbers]
    chosen = [book.routines_for(p) for p in profiles]
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(
                username=username(p.number),
                email=f"{username(p.number)}@example.org",
                password=password_hash,
                date_joined=now - dt.timedelta(days=history.DAYS_OF_HISTORY),
            )
            for p in profiles
        ],
        batch_size=BULK,
    )
    _screenings(users, profiles, book)
    copies = _copy_routines(users, chosen)
    # Each course follows the person's copy, planned from the ready-made routine it copies.
    courses = [
        history.courses_for(
            user, profile, own, [book.sessions(r, profile) for r in ready_made], today
        )
        for user, profile, own, ready_made in zip(users, profiles, copies, chosen, strict=True)
    ]
    history.save([c for person in courses for c in person], batch_size=BULK)
    for user, profile in zip(users, profiles, strict=True):
        if profile.waits:
            # What the app does when a screening gains a temporary condition with an end date.
            postpone_while_waiting(user, today, book.rules)


def _screenings(users, profiles: list[Profile], book: PlanBook) -> None:
    screenings = Screening.objects.bulk_create(
        [
            Screening(user=u, usual_systolic=p.usual_systolic)
            for u, p in zip(users, profiles, strict=True)
        ],
        batch_size=BULK,
    )
    DeclaredCondition.objects.bulk_create(
        [
            DeclaredCondition(screening=s, condition=book.conditions[p.condition], until=p.until)
            for s, p in zip(screenings, profiles, strict=True)
            if p.condition
        ],
        batch_size=BULK,
    )


def _copy_routines(users, chosen: list[list[Routine]]) -> list[list[Routine]]:
    """The rows `Routine.copy_for` writes, for many people at once."""
    copies = [
        [Routine(**r.copy_fields(user)) for r in routines]
        for user, routines in zip(users, chosen, strict=True)
    ]
    flat = Routine.objects.bulk_create([c for person in copies for c in person], batch_size=BULK)
    through = Routine.sources.through
    through.objects.bulk_create(
        [through(routine=c, source=s) for c in flat for s in c.based_on.sources.all()],
        batch_size=BULK,
    )
    RoutineStep.objects.bulk_create(
        [step.copy_to(c) for c in flat for step in c.based_on.steps.all()],
        batch_size=BULK,
    )
    return copies
