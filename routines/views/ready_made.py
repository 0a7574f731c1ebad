"""The library's ready-made routines, to read and to copy into one's own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ..models import Routine, RoutineStep, Source
from .page_cache import cached_page

SOURCES = Prefetch("sources", queryset=Source.objects.only("file_name"))


@require_safe
@cached_page
def ready_made_list(request: HttpRequest) -> HttpResponse:
    routines = (
        Routine.objects.ready_made()
        .with_totals()
        .select_related("massage_type")
        .prefetch_related(SOURCES)
        .order_by("name")
    )
    return render(
        request, "routines/ready_made_list.html", {"routines": routines, "nav": "ready-made"}
    )


@require_safe
@cached_page
def ready_made_detail(request: HttpRequest, slug: str) -> HttpResponse:
    routine = get_object_or_404(
        Routine.objects.ready_made().select_related("massage_type").prefetch_related(SOURCES),
        slug=slug,
    )
    steps = list(
        RoutineStep.objects.filter(routine=routine)
        .select_related("technique", "zone")
        .order_by("position")
    )
    context = {
        "routine": routine,
        "steps": steps,
        "total_seconds": sum(s.duration_s for s in steps),
        "nav": "ready-made",
    }
    return render(request, "routines/ready_made_detail.html", context)


@login_required
@require_POST
def ready_made_copy(request: HttpRequest, slug: str) -> HttpResponse:
    original = get_object_or_404(Routine.objects.ready_made(), slug=slug)
    copy = original.copy_for(request.user)
    messages.success(
        request,
        _("“%(routine)s” is now in your routines: change it as you like, step by step.")
        % {"routine": copy.name},
    )
    return redirect("routines:builder", pk=copy.pk)
