"""Every page carries the strict content security policy and the other security headers; the
cookies stay out of scripts' and other sites' reach; the production settings pass Django's
deployment check and send the same policy."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.pages import logged_in_urls, public_urls

ROOT = Path(__file__).resolve().parent.parent

# The whole policy: everything from our own origin, nothing inline, no plugins, no <base>, forms
# post only to us, and no other site may frame a page.
EXPECTED_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# The session page keeps the screen on and plays its own cue sounds; nothing else is allowed.
GRANTED = {"screen-wake-lock": "(self)", "autoplay": "(self)"}
MUST_DENY = {
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "interest-cohort",
    "browsing-topics",
}
UNSAFE_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:"}
INLINE_CODE = [
    # A data block (json_script) is never run, so the policy lets it be.
    re.compile(r"<script(?![^>]*\s(?:src=|type=\"application/json\"))[^>]*>", re.IGNORECASE),
    re.compile(r"<style[\s>]", re.IGNORECASE),
    re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE),
    re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    re.compile(r"<[^>]*javascript:", re.IGNORECASE),
]


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in filter(None, (p.strip() for p in header.split(";"))):
        name, *sources = part.split()
        assert name not in directives, f"{name} appears twice in {header!r}"
        directives[name] = sources
    return directives


def parse_permissions_policy(header: str) -> dict[str, str]:
    features = dict(item.strip().split("=", 1) for item in header.split(","))
    assert len(features) == len(header.split(",")), f"a feature appears twice in {header!r}"
    return features


def assert_security_headers(response, url: str) -> None:
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    csp = parse_csp(response["Content-Security-Policy"])
    assert csp == EXPECTED_CSP, url
    unsafe = {source for sources in csp.values() for source in sources} & UNSAFE_SOURCES
    assert not unsafe, f"{url}: {unsafe}"
    assert "Content-Security-Policy-Report-Only" not in response

    policy = parse_permissions_policy(response["Permissions-Policy"])
    assert {name: value for name, value in policy.items() if value != "()"} == GRANTED, url
    assert policy.keys() >= MUST_DENY, url

    assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "same-origin", url
    assert response["X-Frame-Options"] == "DENY", url


def assert_no_inline_code(html: str, url: str) -> None:
    """What the policy would refuse in the browser, caught here without one."""
    found = [match.group(0) for pattern in INLINE_CODE for match in pattern.finditer(html)]
    assert not found, f"{url} has inline code the policy refuses: {found}"


def test_every_public_page_sends_the_security_headers(client, library):
    for url in public_urls():
        response = client.get(url)
        assert_security_headers(response, url)
        assert_no_inline_code(response.content.decode(), url)


def test_every_logged_in_page_sends_the_security_headers(client, library, user):
    client.force_login(user)
    for url in logged_in_urls(user):
        response = client.get(url)
        assert_security_headers(response, url)
        assert_no_inline_code(response.content.decode(), url)


def test_an_htmx_fragment_sends_the_policy_too(client, library):
    response = client.get("/techniques/?q=stroking", headers={"HX-Request": "true"})

    assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_send_the_policy_too(client):
    # Whitenoise answers static files itself; the policies' middleware comes before it.
    response = client.get("/static/img/favicon.svg")

    assert response.status_code == 200
    assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_session_cookie_is_http_only_and_same_site_lax(client, user):
    response = client.post(
        reverse("login"), {"username": "alice", "password": "correct horse battery"}
    )

    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_the_csrf_cookie_is_same_site_lax(client, db):
    response = client.get(reverse("login"))

    assert response.cookies["csrftoken"]["samesite"] == "Lax"


# --- Production settings, in a subprocess ---------------------------------------------------------

# Tests run with DEBUG on and plain http; these run the settings the way a deployment does.
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "example.org",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_COOKIES": "1",
    "SECURE_HSTS_SECONDS": "31536000",
}
# Renders / with the production settings in an empty in-memory database, and prints its headers.
# The plain static storage stands in for the manifest, which only collectstatic builds.
PRINT_HEADERS = """
import django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
response = Client().get("/", secure=True, HTTP_HOST="example.org")
print("Status:", response.status_code)
for name in ("Content-Security-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy",
             "Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy"):
    print(f"{name}: {response.get(name)}")
"""


# What the test run adds to the environment and a deployment does not have (the browser tests'
# conftest sets DJANGO_ALLOW_ASYNC_UNSAFE, which the deployment check rightly refuses).
NOT_IN_PRODUCTION = {"DATABASE_URL", "STATICFILES_BACKEND", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_in_production(args: list[str], tmp_path: Path, **env) -> subprocess.CompletedProcess:
    leave_out = {*PRODUCTION, *NOT_IN_PRODUCTION}
    inherited = {k: v for k, v in os.environ.items() if k not in leave_out}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**inherited, **PRODUCTION, "STATIC_ROOT": str(tmp_path), **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_production_settings_pass_the_deployment_check(tmp_path):
    result = run_in_production(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path
    )

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def production_headers(tmp_path_factory) -> dict[str, str]:
    result = run_in_production(
        ["-c", PRINT_HEADERS],
        tmp_path_factory.mktemp("static"),
        DATABASE_URL="sqlite://:memory:",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
    )
    assert result.returncode == 0, result.stderr
    # Shown with -s or on failure: the exact lines a production response carries.
    print(result.stdout)
    return dict(line.split(": ", 1) for line in result.stdout.splitlines())


def test_production_sends_the_strict_policy(production_headers):
    assert production_headers["Status"] == "200"
    assert parse_csp(production_headers["Content-Security-Policy"]) == EXPECTED_CSP


def test_production_sends_the_other_security_headers(production_headers):
    policy = parse_permissions_policy(production_headers["Permissions-Policy"])
    assert {name: value for name, value in policy.items() if value != "()"} == GRANTED
    assert production_headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert production_headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert production_headers["X-Content-Type-Options"] == "nosniff"
    assert production_headers["Referrer-Policy"] == "same-origin"
