"""Library pages served from the cache and revalidated with a conditional GET.

A library page (a technique, a zone, the lists) depends on three things only: the library's
content, the language, and whether someone is logged in (the navigation and the "add to my
routine" form differ). The content has a version (`LibraryVersion`) that changes whenever the
catalogue changes, so:

- its ETag is built from the version, the language, the URL, the htmx flag and the person's id:
  a browser that sends it back gets a 304 without the page being built again;
- for a visitor who is not logged in, the whole response is kept in the cache under the same
  parts; a logged-in person's page is always built for them, never taken from a cache entry, so
  nobody can be served another person's page;
- a page with a flash message waiting, or one that had to set a cookie, is neither cached nor
  answered with 304.

On several app servers sharing one Redis (`CACHE_URL`), a change made on one (load_library, an
admin edit) is seen by all on their next request, because the version lives in the database.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags
from django.utils.translation import get_language

from ..models import LibraryVersion

CACHE_SECONDS = 60 * 60 * 24


def _parts(request: HttpRequest, version: LibraryVersion) -> str:
    user_id = request.user.pk if request.user.is_authenticated else 0
    htmx = "htmx" if request.headers.get("HX-Request") else "page"
    # A logged-in page may hold a form whose token comes from the CSRF cookie: a new cookie
    # (after logging in again) is a new page.
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "") if user_id else ""
    parts = [version.token, get_language() or "", request.get_full_path(), htmx, str(user_id)]
    return "|".join([*parts, csrf])


def _has_messages(request: HttpRequest) -> bool:
    return len(get_messages(request)) > 0


def _used_csrf(request: HttpRequest) -> bool:
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def _new_cookies(request: HttpRequest, response: HttpResponse) -> bool:
    """Did building the page hand out a cookie the browser does not have yet?"""
    new_csrf = _used_csrf(request) and settings.CSRF_COOKIE_NAME not in request.COOKIES
    return bool(response.cookies) or new_csrf


def _validators(response: HttpResponse, etag: str, version: LibraryVersion) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(version.changed_at.timestamp())
    # Revalidate every time (a cheap 304): the library can change at any moment.
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie", "HX-Request"])
    return response


def library_page(view):
    """Serve a GET library view from the cache and with a conditional GET (see above)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or _has_messages(request):
            return view(request, *args, **kwargs)
        version = LibraryVersion.objects.current()
        digest = hashlib.sha256(_parts(request, version).encode()).hexdigest()
        etag = f'"{digest[:32]}"'
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            return _validators(HttpResponseNotModified(), etag, version)
        key = None if request.user.is_authenticated else f"library-page:{digest}"
        cached = cache.get(key) if key else None
        if cached is not None:
            status, content_type, content = cached
            response = HttpResponse(content, status=status, content_type=content_type)
            return _validators(response, etag, version)
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or _new_cookies(request, response):
            return response
        if key and not response.streaming and not _used_csrf(request):
            cache.set(key, (200, response["Content-Type"], response.content), timeout=CACHE_SECONDS)
        return _validators(response, etag, version)

    return wrapped
