"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every test in this folder is marked `e2e`. They never skip: without /usr/bin/chromium they fail,
and a run in which any of them was skipped ends with a failing status.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

# Playwright's sync API runs an event loop in the test thread, and Django refuses ORM calls
# from a thread with a running loop unless told otherwise.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling hosts this network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    # A conftest hook sees every collected item, not only those of its own folder.
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def pytest_sessionfinish(session):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    skipped = [r.nodeid for r in reporter.stats.get("skipped", []) if "e2e" in r.keywords]
    if skipped:
        reporter.write_line(
            "Browser tests must run, not skip; skipped: " + ", ".join(skipped), red=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`. "
            "Browser tests fail rather than skip without it.",
            pytrace=False,
        )
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server):
    """Lets `page.goto("/techniques/")` reach the live server."""
    return live_server.url


@pytest.fixture
def library_live(live_server, transactional_db):
    """The library, loaded for one browser test; returns the live server's URL.

    The live server needs a transactional database, which is emptied after every test, so the
    library is loaded again for each test that asks for it.
    """
    call_command("load_library", verbosity=0)
    return live_server.url


def log_in(page, live_url: str, user) -> None:
    """Give the browser a logged-in session cookie without going through the form."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.value, "url": live_url}]
    )
