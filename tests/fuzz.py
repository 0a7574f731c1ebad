"""A seeded fuzzer: bad input to every URL and form, logged out and logged in.

Every URL comes from walking the resolver (tests/urlmap.py), with its parameters filled from the
person's own objects, someone else's, missing ones or garbage; every form starts from the valid
submission its builder gives, then loses fields, repeats them, and gets garbage in them. Each
request is sent through a test client that turns a crash into a 500 instead of raising, and the
database is compared before and after it: a request that was refused (4xx or 5xx) must leave
every row as it was. Run by tests/test_fuzz.py (a few hundred inputs) and `make fuzz` (10,000).
"""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import logging
import pkgutil
import random
import re
import traceback
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

from django import forms
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from tests.rows import rows_under, tally
from tests.urlmap import Route, Target, World, target, walk

PASSWORD = "a-long-fuzzing-password"
METHODS = ["GET", "POST", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"]
PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
NUMBERS = [
    "-1", "0", "1", "-2147483649", "2147483648", "9223372036854775808", "9" * 40, "1e309",
    "NaN", "nan", "inf", "-inf", "Infinity", "1.5", "0x1F", " 7 ", "٣", "7\x00", "1,000", "+5",
    "1_000", "007", "-0", "1e3", "½",
]  # fmt: skip
DATES = [
    "2023-02-30", "2023-02-29", "2024-02-29", "0000-01-01", "0001-01-01", "99999-12-31",
    "9999-12-31", "2023-13-01", "2023-00-10", "-2023-01-01", "1970-01-01", "31/12/2024",
    "2024-1-1", "20240101", "today", "2024-02-29T25:00", "2024-06-01\x00", "２０２４-０６-０１",
    "9998-12-31", "0001-01-02",
]  # fmt: skip
EDGE_DATES = ["9999-12-31", "9999-12-30", "9999-12-01", "0001-01-01", "0001-01-02"]
WORDS = [
    "", " ", "\x00", "\u202eevil\u202c", "\u200fשלום\u200f", "مرحبا", "<script>alert(1)</script>",
    "'; DROP TABLE routines_routine; --", "{{ 7*7 }}", "{% debug %}", "%s%s%n", "../../etc/passwd",
    "line\r\nbreak", "\ufeff", "e\u0301\u0301\u0301", "🧘" * 30, "null", "undefined", "true",
    "[]", "{}", "None", "\t\t", "Robert'); --",
]  # fmt: skip
HX_HEADERS = ["HX-Request", "HX-Target", "HX-Current-URL", "HX-Trigger", "HX-Trigger-Name",
              "HX-Boosted", "HX-Prompt", "HX-History-Restore-Request"]  # fmt: skip


# --- The report ---------------------------------------------------------------------------------


@dataclass
class Report:
    seed: int
    sent: int = 0
    logged_in: int = 0
    routes: int = 0
    by_class: Counter = field(default_factory=Counter)
    by_status: Counter = field(default_factory=Counter)
    by_route: dict = field(default_factory=dict)  # URL name -> Counter of statuses
    crashes: Counter = field(default_factory=Counter)  # "where: exception" -> count
    crash_examples: dict = field(default_factory=dict)
    partial_writes: list = field(default_factory=list)
    other_person_changed: list = field(default_factory=list)

    def text(self) -> str:
        classes = "  ".join(f"{c}: {self.by_class[c]}" for c in ("2xx", "3xx", "4xx", "5xx"))
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(self.by_status.items()))
        lines = [
            f"fuzz: seed {self.seed}, {self.sent} inputs sent to {self.routes} URL patterns "
            f"({self.logged_in} logged in, {self.sent - self.logged_in} logged out)",
            f"responses by class: {classes}",
            f"responses by status: {statuses}",
            f"5xx responses: {self.by_class['5xx']}",
            f"partial writes (rows changed by a rejected request): {len(self.partial_writes)}",
            f"another person's rows changed: {len(self.other_person_changed)}",
        ]
        for crash, count in self.crashes.most_common():
            lines.append(f"  CRASH x{count}: {crash}\n    e.g. {self.crash_examples[crash]}")
        lines += [f"  PARTIAL WRITE: {w}" for w in self.partial_writes[:20]]
        lines += [f"  OTHER PERSON: {w}" for w in self.other_person_changed[:20]]
        lines.append("per URL name (status: count):")
        for name, counts in sorted(self.by_route.items()):
            spread = ", ".join(f"{s}: {n}" for s, n in sorted(counts.items()))
            lines.append(f"  {name:<36} {spread}")
        return "\n".join(lines)

    @property
    def clean(self) -> bool:
        return not (self.by_class["5xx"] or self.partial_writes or self.other_person_changed)


# --- Bad values -----------------------------------------------------------------------------------


def known_field_names() -> list[str]:
    """The name of every field of every form in routines.forms, to post where it does not belong."""
    import routines.forms

    names = {"csrfmiddlewaretoken", "next", "check", "username", "password", "email"}
    for info in pkgutil.iter_modules(routines.forms.__path__):
        module = importlib.import_module(f"routines.forms.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm):
                names.update(value.base_fields)
    return sorted(names)


class Garbage:
    """Bad values of every kind, from one seeded generator; some shaped like what they replace."""

    def __init__(self, rng: random.Random, ids: list[str], slugs: list[str]):
        self.rng = rng
        self.ids = ids  # of the person's own objects, someone else's and missing ones
        self.slugs = slugs  # of the library, so a valid value lands in the wrong field

    def text(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.03:
            return rng.choice(["A", "é", "\u202e", "ש"]) * 100_000
        if roll < 0.35:
            return rng.choice(WORDS)
        if roll < 0.55:
            return rng.choice(self.slugs)
        if roll < 0.7:
            return "".join(chr(rng.choice([rng.randint(32, 0x2FF), rng.randint(0x590, 0x6FF),
                                           rng.randint(0x1F300, 0x1F6FF), 0])) for _ in
                           range(rng.randint(1, 40)))  # fmt: skip
        return self.number() if rng.random() < 0.5 else self.date()

    def number(self) -> str:
        roll = self.rng.random()
        if roll < 0.3:
            return self.rng.choice(self.ids)
        if roll < 0.8:
            return self.rng.choice(NUMBERS)
        return str(self.rng.choice([-1, 1]) * self.rng.randint(0, 10 ** self.rng.randint(1, 25)))

    def date(self) -> str:
        roll = self.rng.random()
        if roll < 0.5:  # the ends of the calendar, where date arithmetic overflows
            return self.rng.choice(EDGE_DATES)
        if roll < 0.75:
            return self.rng.choice(DATES)
        days = self.rng.choice([-1, 1, 364, 365, 366, 400, 3000, -3000, 10**6, -(10**6)])
        try:
            return (timezone.localdate() + dt.timedelta(days=days)).isoformat()
        except OverflowError:
            return "9999-12-31" if days > 0 else "0001-01-01"

    def like(self, value) -> str:
        """Garbage shaped like a valid value: numbers for a number, dates for a date."""
        value = str(value)
        if self.rng.random() < 0.85:
            if re.fullmatch(r"-?\d+", value):
                return self.number()
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                return self.date()
        return self.text()

    def header(self) -> str:
        """Garbage a real header can carry: latin-1, no line breaks."""
        value = self.text()
        return (
            value.encode("latin-1", "replace")
            .decode("latin-1")
            .replace("\r", "")
            .replace("\n", "")[:8000]
        )


# --- The fuzzer -----------------------------------------------------------------------------------


@dataclass
class Request:
    route: Route
    method: str
    path: str
    data: dict | bytes
    headers: dict
    mine: bool  # sent logged in, as the fuzzer's person
    content_type: str = ""

    def describe(self) -> str:
        data = self.data if isinstance(self.data, bytes) else {
            k: (v if len(repr(v)) < 80 else f"{repr(v)[:60]}...({len(repr(v))} chars)")
            for k, v in self.data.items()
        }  # fmt: skip
        who = "logged in" if self.mine else "logged out"
        headers = repr(self.headers)[:300]
        return f"{self.method} {self.path[:200]} ({who}) data={repr(data)[:600]} headers={headers}"


class Fuzzer:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.report = Report(seed=seed)
        self.routes = walk(django_auth=True)
        self.report.routes = len(self.routes)
        self.allowed: dict[str, list[str]] = {}  # per URL, learnt from the Allow of a 405
        self.people = itertools.count()
        self.fields = known_field_names()
        users = get_user_model().objects
        self.other = World(users.create_user("fuzz-other", password=PASSWORD), PASSWORD)
        self.anon = Client(raise_request_exception=False)
        self.client = Client(raise_request_exception=False)
        self._new_person()
        self.garbage = Garbage(self.rng, self._ids(), self._slugs())
        # Forms are where input goes wrong: a URL that takes input is picked three times as often.
        self.weights = [3 if self._takes_input(route) else 1 for route in self.routes]

    def _new_person(self) -> None:
        users = get_user_model().objects
        person = users.create_user(f"fuzz-{next(self.people)}", password=PASSWORD)
        self.me = World(person, PASSWORD)
        self.client.force_login(person)

    def _takes_input(self, route: Route) -> bool:
        try:
            built = target(route, self.me)
        except LookupError:
            return False
        return bool(built.data or built.query)

    def _ids(self) -> list[str]:
        other = [self.other.routine().pk, self.other.step().pk, self.other.course().pk]
        other += [self.other.live_run().pk, self.other.ended_run().pk]
        mine = [self.me.routine().pk, self.me.step().pk, self.me.kidney_step().pk]
        return [str(i) for i in [*other, *mine, 2**31 - 1, 999_999, 0]]

    def _slugs(self) -> list[str]:
        from routines.models import BodyZone, Contraindication, Technique

        slugs = [*Technique.objects.values_list("slug", flat=True)]
        slugs += [*BodyZone.objects.values_list("slug", flat=True)]
        slugs += [*Contraindication.objects.values_list("slug", flat=True)]
        return [*slugs, "both", "left", "daily", "every_other_day", "skip", "move-zone", "on"]

    def run(self, inputs: int) -> Report:
        logging.disable(logging.CRITICAL)  # every refusal is logged; the report counts them
        try:
            for n in range(inputs):
                if n and n % 1000 == 0:  # a new person: pages of hundreds of routines get slow
                    self._new_person()
                elif n % 250 == 0:  # fresh objects now and then: runs end, courses stop
                    self.me.refresh()
                self.one()
        finally:
            logging.disable(logging.NOTSET)
        return self.report

    # -- One input --

    def one(self) -> None:
        request = self._request()
        mine, others = self.me.made(), self.other.made()
        before = (tally(), rows_under(mine), rows_under(others))
        response = self._send(request)
        after = (tally(), rows_under(mine), rows_under(others))
        self._record(request, response, before, after)
        self._recover(request)

    def _request(self) -> Request:
        rng = self.rng
        route = rng.choices(self.routes, self.weights)[0]
        mine = rng.random() < 0.8
        allowed = self.allowed.get(route.route)
        method = rng.choice(allowed if allowed and rng.random() < 0.85 else METHODS)
        request_target, path = self._path(route)
        if method in ("GET", "HEAD"):
            data = self._form(request_target.query, get=True)
        else:
            data = self._form(request_target.data, get=False)
        request = Request(route, method, path, data, self._headers(), mine)
        if method == "POST" and rng.random() < 0.07:
            request.data, request.content_type = self._raw_body()
        return request

    def _path(self, route: Route) -> tuple[Target, str]:
        """The URL with its parameters: mine, someone else's, missing ones or garbage."""
        rng = self.rng
        roll = rng.random()
        world = self.other if roll < 0.15 else self.me
        try:
            request_target = target(route, world)
        except LookupError:  # one of Django's own auth URLs with parameters
            request_target = Target(kwargs={p: "x" for p in route.params})
        values = {k: str(v) for k, v in request_target.kwargs.items()}
        for name in values:
            if 0.15 <= roll < 0.25:
                values[name] = rng.choice(["2147483647", "999999", "0"])
            elif roll >= 0.25 and rng.random() < 0.25:
                values[name] = rng.choice([*NUMBERS, "16", "1000", self.garbage.text()[:300]])

        def fill(match):
            return quote(values.get(match["name"], "x"), safe="")

        return request_target, "/" + PARAM.sub(fill, route.route)

    def _form(self, base: dict, get: bool) -> dict:
        """The valid submission, or one that lost, repeated or garbled some of its fields."""
        rng, garbage = self.rng, self.garbage
        roll = rng.random()
        if roll < 0.12:
            return dict(base)
        if roll < 0.18:
            return {}
        if roll < 0.26:
            names = rng.sample(self.fields, rng.randint(1, 6))
            return {name: garbage.text() for name in names}
        if roll < 0.28 and not get:  # more fields than Django accepts in one request
            return {f"f{i}": "1" for i in range(1100)}
        if roll < 0.6 and base:  # one field wrong, the rest valid: reaches deepest
            return self._one_wrong(base)
        data: dict = {}
        for name, value in base.items():
            good = value if isinstance(value, list) else [value]
            choice = rng.random()
            if choice < 0.1:
                continue  # the field is missing
            if choice < 0.5:
                data[name] = garbage.like(good[0])
            elif choice < 0.65:  # the field is repeated, the good value first or last
                values = [*good, garbage.like(good[0]), garbage.text()]
                rng.shuffle(values)
                data[name] = values
            else:
                data[name] = value
        for name in rng.sample(self.fields, rng.randint(0, 2)):
            data.setdefault(name, garbage.text())
        return data

    def _one_wrong(self, base: dict) -> dict:
        rng, data = self.rng, dict(base)
        name = rng.choice(list(data))
        good = data[name] if isinstance(data[name], list) else [data[name]]
        choice = rng.random()
        if choice < 0.15:
            del data[name]
        elif choice < 0.3:
            data[name] = [*good, self.garbage.like(good[0])]
        else:
            data[name] = self.garbage.like(good[0])
        return data

    def _raw_body(self) -> tuple[bytes, str]:
        rng = self.rng
        choice = rng.randint(0, 3)
        if choice == 0:  # percent-escapes that are not UTF-8
            escaped = "".join(f"%{rng.randint(0x80, 0xFF):02X}" for _ in range(rng.randint(1, 30)))
            return f"name={escaped}&to={escaped}&{escaped}={escaped}".encode(), (
                "application/x-www-form-urlencoded"
            )
        if choice == 1:
            return bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 500))), (
                "multipart/form-data; boundary=xyz"
            )
        if choice == 2:
            return b'{"name": "json", "to": 1}', "application/json"
        return b'--xyz\r\nContent-Disposition: form-data; name="name"\r\n\r\nunfinished', (
            "multipart/form-data; boundary=xyz"
        )

    def _headers(self) -> dict:
        rng = self.rng
        if rng.random() < 0.6:
            return {}
        headers = {}
        for name in rng.sample(HX_HEADERS, rng.randint(1, 4)):
            headers[name] = rng.choice(["true", "false", "", self.garbage.header()])
        if rng.random() < 0.3:
            headers["HX-Current-URL"] = rng.choice(
                ["http://[::1", "javascript:alert(1)", "//evil.example/", "http://testserver/%ZZ"]
            )
        if rng.random() < 0.1:
            headers["HX-Current-URL-URI-AutoEncoded"] = "true"
        return headers

    # -- Sending and recording --

    def _send(self, request: Request):
        client = self.client if request.mine else self.anon
        kwargs = {"headers": request.headers}
        if request.content_type:
            return client.generic(
                request.method, request.path, request.data, request.content_type, **kwargs
            )
        if request.method in ("GET", "HEAD"):
            call = client.get if request.method == "GET" else client.head
            return call(request.path, request.data, **kwargs)
        if request.method == "POST":
            return client.post(request.path, request.data, **kwargs)
        return client.generic(request.method, request.path, **kwargs)

    def _record(self, request: Request, response, before, after) -> None:
        report = self.report
        report.sent += 1
        report.logged_in += request.mine
        status = response.status_code
        report.by_class[f"{status // 100}xx"] += 1
        report.by_status[status] += 1
        report.by_route.setdefault(request.route.name, Counter())[status] += 1
        if status == 405:
            allowed = [m.strip() for m in response["Allow"].split(",")]
            self.allowed[request.route.route] = [m for m in allowed if m]
        if status >= 500:
            crash = _crash(response)
            report.crashes[crash] += 1
            report.crash_examples.setdefault(crash, request.describe())
        if before[2] != after[2]:
            report.other_person_changed.append(f"{status} {request.describe()}")
        if status >= 400 and before[:2] != after[:2]:
            changed = _changed(before[0], after[0]) + _changed(before[1], after[1])
            report.partial_writes.append(f"{status} {request.describe()}: {changed}")

    def _recover(self, request: Request) -> None:
        """Stay logged out when logged out, logged in when logged in, whatever was posted."""
        self.anon.cookies.clear()
        if request.mine and not get_user_model().objects.filter(pk=self.me.user.pk).exists():
            self._new_person()  # the fuzzer closed its own account with the right password
        elif request.mine and "_auth_user_id" not in self.client.session:
            self.client.force_login(self.me.user)


def _changed(before: dict, after: dict) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def _crash(response) -> str:
    """Where a 500 came from: the exception and the last frame of the project's own code."""
    if not getattr(response, "exc_info", None):
        return f"{response.status_code} with no exception"
    _, error, tb = response.exc_info
    frames = [f for f in traceback.extract_tb(tb) if "/routines/" in f.filename]
    where = f"{frames[-1].filename.split('/routines/')[-1]}:{frames[-1].lineno}" if frames else "?"
    return f"routines/{where} {type(error).__name__}: {str(error)[:160]}"
