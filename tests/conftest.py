"""Fixtures every test may use: users, a logged-in client and the real technique library.

Catalogue fixtures built on the library (a technique, a zone, a screening) belong further down,
in the section marked for them. Keep this file small: a fixture earns its place here only when
several test files need it.
"""

from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client, override_settings

PLAIN_STATIC_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"


@pytest.fixture(autouse=True, scope="session")
def _plain_static_files():
    """Serve static files from the finders, whatever the environment says.

    The manifest storage only knows files after collectstatic, and the live server serves through
    the finders, so with it every CSS and JS file 404s in browser tests. pytest-django imports the
    settings before this file is read, so setting STATICFILES_BACKEND in os.environ here would come
    too late; overriding the setting also resets the cached storage.
    """
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STATIC_STORAGE}}
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """Hash test passwords with MD5: the real hasher takes a noticeable moment per user on purpose.

    Only the tests change; massage/settings.py keeps Django's default hashers for the app. An
    override changes the one settings object, so the live server's thread sees it too, and
    Django's setting_changed signal drops the cached hashers.
    """
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _client_login_with_a_request():
    """Let `client.login(username=..., password=...)` work as it does without django-axes.

    Axes counts failed logins per client, so its backend refuses an authenticate() call without
    the request, and the test client's login() passes none. An empty request stands in for it
    (force_login needs nothing: it does not authenticate).
    """
    original = Client.login

    def login(self, **credentials):
        credentials.setdefault("request", HttpRequest())
        return original(self, **credentials)

    with mock.patch.object(Client, "login", login):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: cached library pages, sign-up counts.

    With REDIS_URL set the suite shares one Redis server; clearing it keeps one test's entries
    (keyed by the same library version, since each test rolls back to the same row) out of the
    next test.
    """
    from routines.safety import RuleBook

    cache.clear()
    # A test's factories add rule rows without a new library version: read them afresh.
    RuleBook.forget()
    yield


@pytest.fixture(autouse=True)
def _english_between_requests():
    """Start every test in English: a request to a /ru/ page leaves Russian active in the
    test's thread afterwards (LocaleMiddleware activates, nothing deactivates)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the library once into the test database; each test's rollback keeps it intact."""
    with django_db_blocker.unblock():
        call_command("load_library", verbosity=0)


@pytest.fixture
def library(db):
    """The technique library from routines/content, loaded by the command `make run` uses.

    Transactional tests (live server, concurrency) flush every table when they end, so the
    library is loaded again whenever it is missing.
    """
    from routines.models import Technique

    if not Technique.objects.exists():
        call_command("load_library", verbosity=0)


@pytest.fixture
def user(db, django_user_model):
    return django_user_model.objects.create_user(
        username="alice", email="alice@example.org", password="correct horse battery"
    )


@pytest.fixture
def other_user(db, django_user_model):
    return django_user_model.objects.create_user(
        username="bob", email="bob@example.org", password="correct horse battery"
    )


@pytest.fixture
def client_logged_in(client, user):
    client.force_login(user)
    return client


# --- Catalogue fixtures -------------------------------------------------------------------------
# Fixtures that pick rows out of the loaded library (e.g. `technique`, `zone`) go here; they
# should depend on `library` above rather than build catalogue rows by hand.
