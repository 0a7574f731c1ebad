"""Middleware of the app's own."""

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import translate_url
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_path, get_language_from_request

from .models import DataVersion

# Where a person's remembered language waits in their session after login (see signals.py).
LANGUAGE_SESSION_KEY = "language"

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class PersonalDataVersionMiddleware:
    """Every successful write request of a logged-in person moves their data version on.

    Their cached pages (routines/views/page_cache.py) are keyed by it. It runs after the view's
    transaction has committed, so a page built under the new number can only hold the new data;
    a page built under the old number meanwhile is never read again. Bumping on every accepted
    write (2xx or 3xx), whatever it changed, is deliberate: no write path (a bulk update, a
    queryset update) can forget to, and a write costs one more small UPDATE. A refused write
    (4xx, 5xx) changes nothing: the views save all or nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                DataVersion.objects.bump(user.pk)
        return response


class PreferredLanguageMiddleware:
    """Lead an English address to its Russian one for a reader who prefers Russian.

    English pages keep their unprefixed addresses, so LocaleMiddleware serves them in English
    whatever the browser asks. A page view (GET, not an htmx swap) of such an address goes to
    its /ru/ twin when the reader's preference says Russian: the choice made on this device
    (the language cookie set by the switcher) first, then the choice remembered on their
    account (put in the session at login), then the browser's Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.method in ("GET", "HEAD") and not request.headers.get("HX-Request"):
            target = _preferred_address(request)
            if target:
                response = HttpResponseRedirect(target)
                patch_vary_headers(response, ["Accept-Language", "Cookie"])
                return response
        response = self.get_response(request)
        if get_language_from_path(request.path_info) is None:
            patch_vary_headers(response, ["Accept-Language"])
        return response


def _preferred_address(request: HttpRequest) -> str:
    if get_language_from_path(request.path_info) is not None:
        return ""  # already in a language of its own
    wanted = preferred_language(request)
    if wanted == settings.LANGUAGE_CODE:
        return ""
    current = request.get_full_path()
    target = translate_url(current, wanted)
    return target if target != current else ""


def preferred_language(request: HttpRequest) -> str:
    supported = dict(settings.LANGUAGES)
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in supported:
        return cookie
    remembered = request.session.get(LANGUAGE_SESSION_KEY) if hasattr(request, "session") else None
    if remembered in supported:
        return remembered
    return get_language_from_request(request, check_path=False)
