"""Middleware of the app's own."""

from django.http import HttpRequest

from .models import DataVersion

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
