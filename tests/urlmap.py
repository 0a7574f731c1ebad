"""Every URL of the site, found by walking Django's resolver, and how to build a request to each.

Nothing here lists what to test. `walk()` finds the URL patterns; `PUBLIC` names the few pages
anyone may open; `BUILDERS` says, per URL name, how to fill in the URL's parameters (an object
owned by the person asking, made on first use by their `World`) and what a valid submission looks
like. A URL that is neither public nor has a builder fails tests/test_isolation.py by name, so a
new view cannot ship without its isolation checks. tests/test_http_methods.py and the fuzzer in
tests/fuzz.py use the same map.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

# Pages anyone may open without logging in.
PUBLIC = {
    "healthz",
    "favicon",
    "routines:home",
    "routines:technique-list",
    "routines:technique-detail",
    "routines:zone-map",
    "routines:zone-detail",
    "routines:contraindication-list",
    "routines:massage-type-list",
    "routines:ready-made-list",
    "routines:ready-made-detail",
    "routines:signup",
    "routines:account-deleted",
    "password_reset",
    "password_reset_confirm",
    "javascript-catalog",  # the scripts' texts in the page's language
    "set_language",  # the language switcher's form (POST only)
}


# --- Walking the resolver -----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, as reverse() takes it: "routines:builder"
    route: str  # the whole route: "me/routines/<int:pk>/"
    params: tuple[str, ...]
    django_auth: bool = False  # from `include("django.contrib.auth.urls")`: Django's own views

    @property
    def is_public(self) -> bool:
        return self.name in PUBLIC


def _is_admin(resolver: URLResolver) -> bool:
    return resolver.namespace == "admin"


def _is_django_auth(resolver: URLResolver) -> bool:
    return getattr(resolver.urlconf_module, "__name__", "") == "django.contrib.auth.urls"


def walk(*, django_auth: bool = False) -> list[Route]:
    """Every URL pattern of the site but the admin's; Django's auth URLs only when asked."""
    return list(_walk(get_resolver().url_patterns, "", "", django_auth, inside_auth=False))


def _walk(patterns, prefix: str, namespace: str, django_auth: bool, inside_auth: bool):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            auth = inside_auth or _is_django_auth(entry)
            if _is_admin(entry) or (auth and not django_auth):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            route = prefix + str(entry.pattern)
            yield from _walk(entry.url_patterns, route, inner, django_auth, auth)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if not entry.name:
                raise AssertionError(f"The URL pattern {route!r} has no name: give it one.")
            params = tuple(
                getattr(entry.pattern, "converters", {}) or entry.pattern.regex.groupindex
            )
            yield Route(f"{namespace}{entry.name}", route, params, inside_auth)


# --- One person's objects -----------------------------------------------------------------------


class World:
    """One person's objects that URLs point at, made on first use and made again once gone.

    `refresh()` forgets them all, so the next request gets fresh ones (a fuzzer may have stopped
    the course or finished the session in the meantime).
    """

    def __init__(self, user, password: str = ""):
        self.user = user
        self.password = password  # when known, the account page's forms get it right
        self._made: dict[str, object] = {}

    def refresh(self) -> None:
        self._made.clear()

    def made(self) -> list:
        """The person and every object made for them so far."""
        return [self.user, *self._made.values()]

    def _get(self, key: str, make: Callable[[], object]):
        obj = self._made.get(key)
        if obj is None or not type(obj).objects.filter(pk=obj.pk).exists():
            obj = self._made[key] = make()
        return obj

    @property
    def today(self) -> dt.date:
        return timezone.localdate()

    def routine(self):
        return self._get("routine", self._make_routine)

    def step(self):
        return self._get("step", self._first_step)

    def kidney_step(self):
        """A step the engine refuses (tapping over the kidneys), or any step once it is gone."""
        steps = [s for s in self.routine().ordered_steps() if s.zone.slug == "kidney-area"]
        return steps[0] if steps else self.step()

    def live_run(self):
        return self._get("live_run", self._start_run)

    def ended_run(self):
        def make():
            run = self._start_run()
            run.stop(run.StopReason.PAIN, timezone.now())
            return run

        return self._get("ended_run", make)

    def course(self):
        return self._get("course", self._make_course)

    def course_index(self) -> int:
        pending = self.course().sessions.pending().order_by("index").first()
        return pending.index if pending else 1

    def _make_routine(self):
        from routines.models import Routine
        from tests.routine_helpers import add_step

        # Something for the engine to fix: rubbing first, tapping over the kidneys.
        routine = Routine.objects.create(owner=self.user, name="Evening back")
        add_step(routine, "palm-rubbing", "whole-back")
        add_step(routine, "tapping", "kidney-area")
        add_step(routine, "light-stroking", "whole-back")
        return routine

    def _first_step(self):
        from tests.routine_helpers import add_step

        steps = list(self.routine().ordered_steps())
        return steps[0] if steps else add_step(self.routine(), "light-stroking", "whole-back")

    def _start_run(self):
        from routines.models import SessionRun
        from routines.safety import check
        from routines.sessions.plan import build_plan

        steps = list(self.routine().ordered_steps())
        plan = build_plan(steps, check(steps))
        now = timezone.now()
        return SessionRun.objects.start(
            self.user, "Evening back", plan, now, routine=self.routine()
        )

    def _make_course(self):
        from routines.courses import planner
        from routines.safety import Person

        sessions = planner.plan_course(
            self.routine(), Person(), total_sessions=10, rhythm="daily", start_date=self.today
        )
        return planner.create_course(
            self.user, self.routine(), sessions, name="Lower back", rhythm="daily"
        )


# --- What a request to each URL looks like ------------------------------------------------------


@dataclass
class Target:
    """A concrete request to one URL: its parameters, its query string, a valid submission."""

    kwargs: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)  # what the page's own form would post
    owned: bool = False  # the URL names the person's own object: anyone else gets 404

    def url(self, name: str) -> str:
        return reverse(name, kwargs=self.kwargs)


def _step_data(world: World) -> dict:
    return {
        "technique": "light-stroking",
        "zone": "whole-back",
        "duration_s": "60",
        "reps": "",
        "intensity": "",
        "direction": "",
        "side": "both",
        "note": "slowly",
    }


def _routine(world: World, **data) -> Target:
    return Target(kwargs={"pk": world.routine().pk}, data=data, owned=True)


def _step(world: World, **data) -> Target:
    kwargs = {"pk": world.routine().pk, "step_pk": world.step().pk}
    return Target(kwargs=kwargs, data=data, owned=True)


def _course(world: World, **data) -> Target:
    return Target(kwargs={"pk": world.course().pk}, data=data, owned=True)


def _course_session(world: World, **data) -> Target:
    kwargs = {"pk": world.course().pk, "index": world.course_index()}
    return Target(kwargs=kwargs, data=data, owned=True)


def _signup(world: World) -> Target:
    password = "a-long-and-unusual-password"
    return Target(data={"username": "newcomer", "password1": password, "password2": password})


def _password_reset_confirm(world: World) -> Target:
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    # A link already used: a valid one redirects whatever the method (Django hides the token
    # from the Referer), so only this page shows what the view itself answers.
    kwargs = {"uidb64": urlsafe_base64_encode(force_bytes(world.user.pk)), "token": "used-up"}
    password = "another-long-unusual-password"
    return Target(kwargs=kwargs, data={"new_password1": password, "new_password2": password})


def _screening(world: World) -> Target:
    until = (world.today + dt.timedelta(days=3)).isoformat()
    return Target(data={"conditions": ["fever"], "until-fever": until, "usual_systolic": "130"})


def _day_check() -> dict:
    return {"check": "1", "fever": "", "pain_before": "2", "systolic": "130"}


def _course_plan(world: World) -> Target:
    routine = str(world.routine().pk)
    plan = {"name": "Spring", "total_sessions": "10", "rhythm": "daily"}
    plan |= {"routine": routine, "start_date": world.today.isoformat()}
    return Target(query={"routine": routine}, data=plan, owned=True)


def _postpone(world: World) -> dict:
    return {"until": (world.today + dt.timedelta(days=20)).isoformat(), "reason": "a cold"}


BUILDERS: dict[str, Callable[[World], Target]] = {
    "routines:technique-detail": lambda w: Target(kwargs={"slug": "light-stroking"}),
    "routines:zone-detail": lambda w: Target(kwargs={"slug": "kidney-area"}),
    "routines:ready-made-detail": lambda w: Target(kwargs={"slug": "lumbar-protocol"}),
    "routines:ready-made-copy": lambda w: Target(kwargs={"slug": "lumbar-protocol"}),
    "routines:signup": _signup,
    "routines:account": lambda w: Target(data={"email": "someone@example.org"}),
    "routines:account-data": lambda w: Target(),
    "routines:account-delete": lambda w: Target(data={"password": w.password or "a guess"}),
    "password_reset": lambda w: Target(data={"email": "someone@example.org"}),
    "password_reset_confirm": _password_reset_confirm,
    "routines:screening": _screening,
    "routines:routine-list": lambda w: Target(),
    "set_language": lambda w: Target(data={"language": "ru", "next": "/techniques/"}),
    "routines:routine-create": lambda w: Target(data={"name": "Morning back"}),
    "routines:step-add-to-routine": lambda w: Target(
        data={"routine": str(w.routine().pk), **_step_data(w)}
    ),
    "routines:builder": _routine,
    "routines:routine-rename": lambda w: _routine(w, name="Renamed"),
    "routines:routine-duplicate": lambda w: _routine(w, name="A copy"),
    "routines:routine-delete": _routine,
    "routines:routine-fix": lambda w: _routine(w, code="move-zone", step=str(w.kidney_step().pk)),
    "routines:step-add": lambda w: _routine(w, **_step_data(w)),
    "routines:step-edit": lambda w: _step(w, **_step_data(w)),
    "routines:step-delete": _step,
    "routines:step-move": lambda w: _step(w, to="2"),
    "routines:routine-card": _routine,
    "routines:session-start": lambda w: _routine(w, **_day_check()),
    "routines:session-run": lambda w: Target(kwargs={"pk": w.live_run().pk}, owned=True),
    "routines:session-step": lambda w: Target(
        kwargs={"pk": w.live_run().pk},
        data={"action": "skip", "from_index": str(w.live_run().current_index)},
        owned=True,
    ),
    "routines:session-summary": lambda w: Target(
        kwargs={"pk": w.ended_run().pk}, data={"pain_after": "1", "note": "better"}, owned=True
    ),
    "routines:dashboard": lambda w: Target(),
    "routines:course-new": _course_plan,
    "routines:course-detail": _course,
    "routines:course-postpone": lambda w: _course(w, **_postpone(w)),
    "routines:course-stop": lambda w: _course(w, reason="Moving house"),
    "routines:course-schedule": _course,
    "routines:course-card": _course,
    "routines:course-session-start": lambda w: _course_session(w, **_day_check()),
    "routines:course-session-postpone": lambda w: _course_session(w, **_postpone(w)),
}


def missing_builders(routes: list[Route]) -> list[str]:
    """URL names no test could reach: neither a plain public page nor given a builder."""
    return sorted(
        r.name
        for r in routes
        if r.name not in BUILDERS and not (r.is_public and not r.params) and not r.django_auth
    )


def target(route: Route, world: World) -> Target:
    builder = BUILDERS.get(route.name)
    if builder is None:
        if route.params or not (route.is_public or route.django_auth):
            raise LookupError(
                f"{route.name} ({route.route}) has no builder in tests/urlmap.py BUILDERS and is "
                "not a public page: say how to build its arguments, or add it to PUBLIC."
            )
        return Target()
    return builder(world)
