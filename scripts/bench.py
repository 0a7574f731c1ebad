"""`make bench`: every page under gunicorn with wrk, as a ratio to /healthz on the same server.

    .venv/bin/python scripts/bench.py [--seconds 8] [--people 20] [--port 8077]

What it does, in order:
1. a fresh SQLite database in a temporary directory (or DATABASE_URL when given: it is migrated
   and seeded, never emptied), the library loaded, `seed_demo --people 20`, static files
   collected; DEBUG=0, as in production;
2. for the person demo0001: a 10-step routine (their copy of the 11-step ready-made routine,
   one step removed, as the builder removes it) and a session of it started and moved on to
   its middle step;
3. queries per request: each page requested twice in this process through Django's test
   client against the same database (logged in for the personal pages only, as wrk asks
   them), the second request counted with CaptureQueriesContext;
4. gunicorn with 2 sync workers, demo0001 logged in through the real login form (urllib, with
   the CSRF token), and `wrk -t1 -c16 -d<seconds>s --latency` on each page, personal pages with
   the session cookie, each page right after /healthz (ratio = page / that /healthz), so a
   machine that gets busier during the run does not skew the later pages.

The POST measured is the session page's "repeat the step" on the step the session is on: it
locks the run, logs an event and restarts the step, the same writes as moving on, and unlike
"next step" it stays valid request after request (each answers 302 back to the session page).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PERSON = "demo0001"
TEN_STEPS_FROM = "home-spinal-11-step"


@dataclass
class Page:
    name: str
    path: str
    personal: bool = False
    post: dict | None = None  # form data for a POST
    status: int | None = None
    queries: int | None = None
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    healthz_rps: float = 0.0  # /healthz measured just before this page


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "8")))
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--port", type=int, default=8077)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (make bench installs it when run as root)")
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        return bench(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def bench(args, workdir: Path) -> int:
    env = prepare_environment(workdir)
    for command in (
        ["migrate", "-v0"],
        ["load_library", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["seed_demo", "--people", str(args.people), "-v0"],
    ):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)
    import django

    django.setup()
    pages = scenario()
    count_queries(pages)
    server = start_gunicorn(args.port, env)
    try:
        base = f"http://127.0.0.1:{args.port}"
        cookies = log_in(base)
        for page in pages:
            page.status = first_status(base, page, cookies)
        trivial = pages[0]
        for page in pages[1:]:
            # /healthz right before each page: the ratio compares the two at the same moment,
            # so a machine that gets busier during the run moves both.
            measure(base, trivial, cookies, args.seconds, workdir)
            page.healthz_rps = trivial.rps
            measure(base, page, cookies, args.seconds, workdir)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print_table(pages[1:], args)
    return 0


def prepare_environment(workdir: Path) -> dict:
    os.environ.update(
        DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-not-secret"),
        # testserver: the in-process test client that counts the queries.
        ALLOWED_HOSTS="127.0.0.1,testserver",
        STATIC_ROOT=str(workdir / "static"),
        DJANGO_SETTINGS_MODULE="massage.settings",
    )
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    sys.path.insert(0, str(ROOT))
    return dict(os.environ)


def scenario() -> list[Page]:
    """The pages, with the demo person's own objects in their addresses."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from routines.models import Course, Routine
    from routines.safety import Person
    from routines.sessions.start import Candidate, start

    person = get_user_model().objects.get(username=PERSON)
    routine = ten_step_routine(person, Routine)
    now = timezone.now()
    started = start(
        person, Candidate.of_routine(routine), Person.of(person, timezone.localdate(now)).on(),
        now=now,
    )  # fmt: skip
    run = started.run
    if run is None:
        raise SystemExit(f"The bench session did not start: {started.reason}")
    middle = len(run.plan) // 2
    for index in range(middle):
        run.advance(index, now, skipped=True)
    course = Course.objects.owned_by(person).filter(status=Course.Status.ACTIVE).get()
    return [
        Page("/healthz (trivial view)", "/healthz"),
        Page("home", "/"),
        Page("technique list", "/techniques/"),
        Page("technique list, filtered", "/techniques/?category=rubbing&intensity=2"),
        Page("technique page", "/techniques/light-stroking/"),
        Page("body map", "/zones/"),
        Page("zone page", "/zones/kidney-area/"),
        Page("contraindications", "/contraindications/"),
        Page("massage types", "/massage-types/"),
        Page("ready-made routines", "/routines/ready-made/"),
        Page("my routines", "/me/routines/", personal=True),
        Page(f"builder, {routine.steps.count()} steps", f"/me/routines/{routine.pk}/", True),
        Page(
            f"session page, step {middle + 1} of {len(run.plan)}", f"/me/sessions/{run.pk}/", True
        ),
        Page(
            "session step POST (repeat)",
            f"/me/sessions/{run.pk}/step/",
            personal=True,
            post={"action": "repeat", "from_index": str(middle)},
        ),
        Page(f"dashboard, {Course.objects.owned_by(person).count()} courses", "/dashboard/", True),
        Page(f"course page, {course.sessions.count()} sessions", f"/courses/{course.pk}/", True),
    ]


def ten_step_routine(person, Routine):
    """The person's copy of the 11-step routine with its sixth step removed, as the builder does."""
    name = "Home spinal massage, my 10 steps"
    existing = Routine.objects.owned_by(person).filter(name=name).first()
    if existing is not None:
        return existing
    routine = Routine.objects.get(slug=TEN_STEPS_FROM, owner__isnull=True).copy_for(person, name)
    routine.steps.get(position=6).delete()
    routine.renumber(list(routine.steps.order_by("position").values_list("pk", flat=True)))
    return routine


def count_queries(pages: list[Page]) -> None:
    """Queries of each page's second request (the first may fill per-process caches)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    visitor, person = Client(), Client()
    person.force_login(get_user_model().objects.get(username=PERSON))
    for page in pages:
        # As wrk asks: the library pages as a visitor, the personal ones logged in.
        client = person if page.personal else visitor
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                if page.post:
                    client.post(page.path, page.post)
                else:
                    client.get(page.path)
        page.queries = len(captured)


def start_gunicorn(port: int, env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [GUNICORN, "massage.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return server
        except OSError:  # refused while it boots, or slow on a busy machine
            time.sleep(0.2)
    server.terminate()
    server.wait(timeout=30)
    raise SystemExit("gunicorn did not answer /healthz")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def log_in(base: str) -> dict[str, str]:
    """The cookies of demo0001 logged in through the login form, CSRF token and all."""
    from routines.demo import DEFAULT_PASSWORD

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    form = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    password = os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD)
    data = {"username": PERSON, "password": password, "csrfmiddlewaretoken": token}
    try:
        opener.open(f"{base}/accounts/login/", urllib.parse.urlencode(data).encode())
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise SystemExit(f"Logging in {PERSON} answered {answer.code}") from answer
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"Logging in {PERSON} gave no session cookie")
    return cookies


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def _body(page: Page, cookies: dict[str, str]) -> str:
    return urllib.parse.urlencode({**page.post, "csrfmiddlewaretoken": cookies["csrftoken"]})


def first_status(base: str, page: Page, cookies: dict[str, str]) -> int:
    """The status one request gets, so a page that answers a redirect to log in is seen."""
    request = urllib.request.Request(base + page.path)
    if page.personal:
        request.add_header("Cookie", _cookie_header(cookies))
    if page.post:
        request.data = _body(page, cookies).encode()
    try:
        return urllib.request.build_opener(_NoRedirect).open(request).status
    except urllib.error.HTTPError as answer:
        return answer.code


def measure(base: str, page: Page, cookies: dict, seconds: int, workdir: Path) -> None:
    # A generous timeout: a slow page under load is slow, not an error.
    command = ["wrk", "-t1", "-c16", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    if page.personal:
        command += ["-H", f"Cookie: {_cookie_header(cookies)}"]
    if page.post:
        script = workdir / "post.lua"
        script.write_text(
            'wrk.method = "POST"\n'
            f'wrk.body = "{_body(page, cookies)}"\n'
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        )
        command += ["-s", str(script)]
    out = subprocess.run([*command, base + page.path], capture_output=True, text=True).stdout
    if not re.search(r"Requests/sec", out):
        raise SystemExit(f"wrk gave no result for {page.path}:\n{out}")
    page.rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    page.p50_ms = _ms(re.search(r"\s50%\s+([\d.]+\w+)", out).group(1))
    page.p99_ms = _ms(re.search(r"\s99%\s+([\d.]+\w+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
        out,
    )
    page.errors = int(bad.group(1)) if bad else 0
    page.errors += sum(int(n) for n in sockets.groups()) if sockets else 0


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def print_table(pages: list[Page], args) -> None:
    print(
        f"\nwrk -t1 -c16 -d{args.seconds}s, gunicorn 2 sync workers, DEBUG=0, "
        f"{os.environ['DATABASE_URL'].split(':')[0]}, seed_demo --people {args.people}\n"
    )
    print(
        "| page | status | req/s | /healthz req/s just before | ratio | p50 ms | p99 ms "
        "| queries | errors |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for page in pages:
        print(
            f"| {page.name} | {page.status} | {page.rps:,.0f} | {page.healthz_rps:,.0f} | "
            f"{page.rps / page.healthz_rps:.3f} | {page.p50_ms:.1f} | {page.p99_ms:.1f} | "
            f"{page.queries} | {page.errors} |"
        )
    print(
        "\nstatus: one request through gunicorn before the load; errors: wrk's non-2xx/3xx "
        "answers and socket errors; queries: the second of two requests in-process "
        "(CaptureQueriesContext on the same database)."
    )


if __name__ == "__main__":
    sys.exit(main())
