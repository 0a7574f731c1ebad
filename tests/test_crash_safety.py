"""A crash in the middle of a session loses nothing.

The server process is killed (SIGKILL: no clean shutdown) in the middle of a step and started
again. The session page then resumes at the same step with the remaining time within a second
of the truth; a run that was started is still there; and a run that was finished before the
crash is not counted a second time when the finish is sent again.

The server runs as a separate process on its own SQLite file, the way `make run` serves the app,
so nothing of the test process's state can hide a loss.
"""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a long crash-test password"

SETUP = """
import json
from django.contrib.auth.models import User
from django.utils import timezone
from routines.courses import planner
from routines.models import Routine
from routines.safety import Person

user = User.objects.create_user("carol", password=PASSWORD)
routine = Routine.objects.get(slug="relaxing-20-minutes", owner=None).copy_for(user)
sessions = planner.plan_course(
    routine, Person(), total_sessions=10, rhythm="daily", start_date=timezone.localdate()
)
course = planner.create_course(user, routine, sessions, name="Crash course", rhythm="daily")
print(json.dumps({"routine": routine.pk, "course": course.pk}))
"""

COUNT = """
import json
from routines.models import CourseSession, SessionRun
print(json.dumps({
    "runs": SessionRun.objects.count(),
    "held": CourseSession.objects.filter(status__in=["done", "stopped"]).count(),
    "states": sorted(SessionRun.objects.values_list("state", flat=True)),
}))
"""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies and CSRF like a browser without JavaScript; redirects are reported, not followed."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = None
        headers = {"Referer": self.base + "/"}
        if data is not None:
            token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers.get("Location", "")

    def login(self) -> None:
        self.request("/accounts/login/")
        status, _, _ = self.request("/accounts/login/", {"username": "carol", "password": PASSWORD})
        assert status == 302, "logging in"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def app(tmp_path):
    """A migrated SQLite file with the library, one person, a routine and a course."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'crash.sqlite3'}",
        "DEBUG": "1",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "-v", "0"], ["load_library", "-v", "0"]):
        subprocess.run([*manage, *command], env=env, check=True, cwd=ROOT)
    made = subprocess.run(
        [*manage, "shell", "-c", f"PASSWORD = {PASSWORD!r}\n{SETUP}"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    ids = json.loads(made.stdout.decode().strip().splitlines()[-1])

    def count() -> dict:
        done = subprocess.run(
            [*manage, "shell", "-c", COUNT], env=env, check=True, cwd=ROOT, capture_output=True
        )
        return json.loads(done.stdout.decode().strip().splitlines()[-1])

    return {"env": env, "manage": manage, "ids": ids, "count": count}


class Server:
    def __init__(self, app):
        self.app, self.port = app, free_port()
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [*self.app["manage"], "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            env=self.app["env"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the server did not come up")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def server(app):
    server = Server(app)
    server.start()
    yield server
    if server.process.poll() is None:
        server.kill()


def session_state(html: str) -> tuple[int, float]:
    index = int(re.search(r'data-index="(\d+)"', html).group(1))
    remaining = float(re.search(r'data-remaining="([0-9.]+)"', html).group(1))
    return index, remaining


def start_run(browser: Browser, routine: int) -> str:
    status, _, location = browser.request(f"/me/routines/{routine}/start/", {"check": "1"})
    assert status == 302, "starting the session"
    return location


def test_a_killed_server_resumes_the_session_at_the_same_step_and_time(app, server):
    browser = Browser(server.base)
    browser.login()
    run_url = start_run(browser, app["ids"]["routine"])
    browser.request(run_url.rstrip("/") + "/step/", {"action": "skip", "from_index": "0"})
    _, html, _ = browser.request(run_url)
    index, remaining = session_state(html)
    seen_at = time.monotonic()
    assert index == 1

    server.kill()
    server.start()

    status, html, _ = browser.request(run_url)
    assert status == 200
    index_after, remaining_after = session_state(html)
    truth = remaining - (time.monotonic() - seen_at)
    assert index_after == 1
    assert abs(remaining_after - truth) < 1.0
    assert app["count"]()["states"] == ["running"]


def test_a_finish_sent_again_after_a_crash_is_not_counted_twice(app, server):
    browser = Browser(server.base)
    browser.login()
    course = app["ids"]["course"]
    status, _, run_url = browser.request(f"/courses/{course}/sessions/1/start/", {"check": "1"})
    assert status == 302
    finish = {"action": "stop", "from_index": "0"}
    status, _, _ = browser.request(run_url.rstrip("/") + "/step/", finish)
    assert status == 302
    assert app["count"]() == {"runs": 1, "held": 1, "states": ["stopped"]}

    server.kill()
    server.start()

    status, _, location = browser.request(run_url.rstrip("/") + "/step/", finish)
    assert status in {302, 409}
    assert app["count"]() == {"runs": 1, "held": 1, "states": ["stopped"]}
