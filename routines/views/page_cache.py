"""Pages served from the cache and revalidated with a conditional GET.

A page is built from the library's content, and, for a logged-in person, from their own data.
Both have a version that moves whenever they change: `LibraryVersion` (load_library, an admin
edit) and the person's `DataVersion` (every write request they make, see
routines/middleware.py, and an admin edit of their data). One query reads both. So:

- a page's ETag is built from both versions, the language, the day, the URL, the htmx flag, the
  person's id and their CSRF cookie: a browser that sends it back gets a 304 without the page
  being built again;
- the whole response is kept in the cache under the same parts. A person's entry carries their
  id and version, so nobody is ever served another person's page, and their next change makes
  every page of theirs built before it unreachable (it simply expires);
- the day is part of it because a personal page judges "today" (is the next session due, does
  a temporary condition still hold); nothing on a cached page depends on the time of day;
- a page with a flash message waiting, or one that had to hand out a cookie, is neither cached
  nor answered with 304.

On several app servers sharing one Redis (`CACHE_URL`), a change made on one is seen by all on
their next request, because both versions live in the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, parse_etags
from django.utils.translation import get_language

from ..models import DataVersion, LibraryVersion
from ..models.catalog import LIBRARY_VERSION_PK
from ..safety.rulebook import library_token_known

CACHE_SECONDS = 60 * 60 * 24


@dataclass(frozen=True)
class Versions:
    library: str
    person: int
    changed_at: dt.datetime


def _versions(user_id: int) -> Versions:
    """The library's version and the person's, in one query.

    Written as SQL once: building it through the ORM cost more than the rest of a cached
    answer (about two thirds of it, by cProfile), for a query whose shape never changes.
    """
    with connection.cursor() as cursor:
        cursor.execute(_VERSIONS_SQL, [user_id, LIBRARY_VERSION_PK])
        row = cursor.fetchone()
    if row is None:  # an empty database: the version row is made on first use
        version = LibraryVersion.objects.current()
        row = (version.token, version.changed_at, None, None)
    token, library_changed, number, person_changed = row
    library_changed = _aware(library_changed)
    changed = max(library_changed, _aware(person_changed) or library_changed)
    return Versions(token, number or 0, changed)


def _versions_sql() -> str:
    quote = connection.ops.quote_name
    library, person = LibraryVersion._meta.db_table, DataVersion._meta.db_table
    return (
        f"SELECT l.{quote('token')}, l.{quote('changed_at')}, p.{quote('number')}, "
        f"p.{quote('changed_at')} FROM {quote(library)} l "
        f"LEFT JOIN {quote(person)} p ON p.{quote('user_id')} = %s "
        f"WHERE l.{quote('id')} = %s"
    )


def _aware(value) -> dt.datetime | None:
    """A timestamp as the database returns it raw (SQLite: text in UTC) made aware."""
    if value is None or isinstance(value, dt.datetime) and timezone.is_aware(value):
        return value
    if isinstance(value, str):
        value = parse_datetime(value)
    return timezone.make_aware(value, dt.UTC) if timezone.is_naive(value) else value


_VERSIONS_SQL = _versions_sql()


def _parts(request: HttpRequest, versions: Versions) -> str:
    user_id = request.user.pk if request.user.is_authenticated else 0
    htmx = "htmx" if request.headers.get("HX-Request") else "page"
    # A logged-in page may hold a form whose token comes from the CSRF cookie: a new cookie
    # (after logging in again) is a new page.
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "") if user_id else ""
    day = timezone.localdate().isoformat() if user_id else ""
    parts = [versions.library, str(user_id), str(versions.person), day]
    return "|".join([*parts, get_language() or "", request.get_full_path(), htmx, csrf])


def _has_messages(request: HttpRequest) -> bool:
    return len(get_messages(request)) > 0


def _used_csrf(request: HttpRequest) -> bool:
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def _new_cookies(request: HttpRequest, response: HttpResponse) -> bool:
    """Did building the page hand out a cookie the browser does not have yet?"""
    new_csrf = _used_csrf(request) and settings.CSRF_COOKIE_NAME not in request.COOKIES
    return bool(response.cookies) or new_csrf


def _validators(response: HttpResponse, etag: str, versions: Versions) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(versions.changed_at.timestamp())
    # Revalidate every time (a cheap 304): the library or the person's data can change at once.
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie", "HX-Request"])
    return response


def cached_page(view):
    """Serve a GET view from the cache and with a conditional GET (see above).

    For library pages, which anyone may see, and for a person's own pages (put it under
    `login_required`): either way the entry belongs to whoever asked.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or _has_messages(request):
            return view(request, *args, **kwargs)
        user_id = request.user.pk if request.user.is_authenticated else 0
        versions = _versions(user_id)
        digest = hashlib.sha256(_parts(request, versions).encode()).hexdigest()
        etag = f'"{digest[:32]}"'
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            return _validators(HttpResponseNotModified(), etag, versions)
        key = f"page:{digest}"
        cached = cache.get(key)
        if cached is not None:
            content_type, content = cached
            return _validators(HttpResponse(content, content_type=content_type), etag, versions)
        with library_token_known(versions.library):
            response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming or _new_cookies(request, response):
            return response
        # A visitor's page holding a CSRF token would hand one visitor's token to the next.
        if user_id or not _used_csrf(request):
            cache.set(key, (response["Content-Type"], response.content), timeout=CACHE_SECONDS)
        return _validators(response, etag, versions)

    return wrapped
