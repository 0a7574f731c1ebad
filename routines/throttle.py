"""Who is asking, and whether they have asked too often: login throttling and the sign-up limit.

django-axes counts failed logins (massage/settings.py, AXES_*); it asks `client_ip` for the
address, as does the sign-up limit here, so both see the same client behind a proxy.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import HttpRequest

SIGNUPS_PER_CLIENT = 5
SIGNUP_WINDOW_SECONDS = 60 * 60


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the socket's, or behind a proxy the last one it forwarded."""
    if settings.CLIENT_IP_FROM_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR") or None


def _signup_key(request: HttpRequest) -> str:
    return f"signups:{client_ip(request) or 'unknown'}"


def signup_allowed(request: HttpRequest) -> bool:
    """False once this client has opened SIGNUPS_PER_CLIENT accounts within the window."""
    return cache.get(_signup_key(request), 0) < SIGNUPS_PER_CLIENT


def count_signup(request: HttpRequest) -> None:
    """Count one more account opened by this client; the window starts at its first."""
    key = _signup_key(request)
    cache.add(key, 0, timeout=SIGNUP_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        # The window closed between add and incr: this sign-up opens a new one.
        cache.set(key, 1, timeout=SIGNUP_WINDOW_SECONDS)


def login_username(request: HttpRequest, credentials: dict | None) -> str:
    """The username failed logins are counted under, made storable.

    Django's login form does not limit the username's length before it authenticates, and
    axes keeps it in a 255-character column: on PostgreSQL a 5,000-character guess was a 500.
    A username can never be longer than the user model's 150 characters, nor hold NUL.
    """
    field = "username"
    raw = (credentials or {}).get(field) if credentials else request.POST.get(field, "")
    user_model = get_user_model()
    limit = user_model._meta.get_field(user_model.USERNAME_FIELD).max_length
    return str(raw or "").replace("\x00", "")[:limit]
