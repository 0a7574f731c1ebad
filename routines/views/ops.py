"""Operational endpoints."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for a load balancer; touches no database so it stays cheap under load."""
    return HttpResponse("ok\n", content_type="text/plain")
