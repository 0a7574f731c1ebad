"""Operational endpoints."""

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for a load balancer; touches no database so it stays cheap under load."""
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links; send them to the SVG icon.

    The URL is built per request: at import time the hashed name may not exist yet (migrate
    runs before collectstatic).
    """
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
