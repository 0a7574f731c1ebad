"""The session page: a same-day check, the live step timer, and the summary afterwards.

The server owns the session's clock (`SessionRun`); the browser only draws the countdown from
the step's end time and asks the server to move on.
"""

from __future__ import annotations

import datetime as dt
import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from ..forms_session import CheckInForm, DayCheckForm, SessionActionForm, prep_items
from ..models import PrepItem, Routine, Screening, SessionRun
from ..plan import build_plan
from ..safety import RuleBook, active_conditions

STALE_MESSAGE = (
    "The session had already moved on (from another tab, or a second tap), "
    "so nothing changed: this is where it stands now."
)


def _get_routine(request: HttpRequest, pk: int) -> Routine:
    return get_object_or_404(Routine, pk=pk, owner=request.user)


def _get_run(request: HttpRequest, pk: int) -> SessionRun:
    return get_object_or_404(SessionRun, pk=pk, owner=request.user)


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


# --- Before the session ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_start(request: HttpRequest, pk: int) -> HttpResponse:
    """The pre-session page; its form (marked `check`) runs the checks and starts the run.

    The builder's "Start" button posts here without the mark and lands on the check itself.
    """
    routine = _get_routine(request, pk)
    now = timezone.now()
    today = timezone.localdate(now)
    conditions = active_conditions(Screening.objects.of(request.user), today)
    steps = list(routine.ordered_steps())
    rules = RuleBook.load()
    form = DayCheckForm(
        request.POST if request.method == "POST" and "check" in request.POST else None,
        asks_systolic=any(c.asks_systolic for c in conditions),
        prep_items=prep_items(PrepItem.Phase.BEFORE, conditions),
    )
    status = 200
    report = routine.safety_report(conditions=conditions, rules=rules, steps=steps)
    if form.is_bound:
        if not form.is_valid():
            status = 422
        else:
            report = routine.safety_report(
                conditions=conditions + form.today_conditions(),
                systolic=form.systolic_value,
                rules=rules,
                steps=steps,
            )
            if report.can_start:
                run = SessionRun.objects.start(
                    request.user,
                    routine.name,
                    build_plan(steps, report),
                    now,
                    routine=routine,
                    day_check=form.day_check(today),
                    pain_before=form.cleaned_data["pain_before"],
                )
                return _redirect(request, reverse("routines:session-run", args=[run.pk]))
            status = 409
    context = {
        "routine": routine,
        "title": routine.name,
        "action_url": reverse("routines:session-start", args=[routine.pk]),
        "back_url": reverse("routines:builder", args=[routine.pk]),
        "back_label": "Back to the routine",
        "blocked_hint": "Change the routine in the routine builder, or wait until the reason "
        "has passed.",
        "form": form,
        "report": report,
        "steps": steps,
        "total_minutes": math.ceil(sum(s.duration_s for s in steps) / 60),
        "refused": status == 409,
    }
    template = "session/start.html"
    if request.htmx and form.is_bound:
        template += "#day-check"
    return render(request, template, context, status=status)


# --- During the session ---------------------------------------------------------------------


def _mmss(seconds: float) -> str:
    whole = math.ceil(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def _run_context(run: SessionRun, now: dt.datetime, stale: bool = False) -> dict:
    remaining = run.remaining(now)
    ends_at = run.step_ends_at()
    step = run.current_step or {}
    return {
        "run": run,
        "step": step,
        "next_step": run.next_step,
        "segments": run.segments(),
        "remaining": remaining,
        "remaining_text": _mmss(remaining),
        "halfway_s": int(step.get("duration_s", 0)) / 2,
        "ends_at": ends_at,
        "ends_at_ms": int(ends_at.timestamp() * 1000) if ends_at else "",
        "now_ms": int(now.timestamp() * 1000),
        "stale_message": STALE_MESSAGE if stale else "",
        "side_switch": step.get("side") in {"left", "right"},
    }


@login_required
@require_GET
def session_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    if not run.is_live:
        return redirect("routines:session-summary", pk=run.pk)
    return render(request, "session/run.html", _run_context(run, timezone.now()))


@login_required
@require_POST
def session_step(request: HttpRequest, pk: int) -> HttpResponse:
    """Every action on a running session; one that arrives stale leaves the session as it is."""
    run = _get_run(request, pk)
    form = SessionActionForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "session/action_error.html",
            {"run": run, "form": form},
            status=400,
        )
    now = timezone.now()
    moved = form.apply(run, now)
    if not run.is_live:
        return _redirect(request, reverse("routines:session-summary", args=[run.pk]))
    if request.htmx:
        # A stale request from the page's own timer is normal (another tab moved first): the
        # answer is simply the current state.
        return render(request, "session/run.html#session", _run_context(run, now))
    if moved:
        return redirect("routines:session-run", pk=run.pk)
    return render(request, "session/run.html", _run_context(run, now, stale=True), status=409)


# --- After the session ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_summary(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    if run.is_live:
        return redirect("routines:session-run", pk=run.pk)
    form = CheckInForm(request.POST or None, instance=run)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            run.record_checkin(
                pain_after=form.cleaned_data["pain_after"],
                note=form.cleaned_data["note"],
                today=timezone.localdate(),
            )
            messages.success(request, "Thank you, your check-in is saved.")
            return _redirect(request, reverse("routines:session-summary", args=[run.pk]))
        status = 422
    conditions = active_conditions(Screening.objects.of(request.user), timezone.localdate())
    timeline = run.timeline()
    context = {
        "run": run,
        "form": form,
        "timeline": timeline,
        "aftercare": prep_items(PrepItem.Phase.AFTER, conditions),
        "worked": _mmss(run.worked_seconds()),
        "steps_done": sum(1 for line in timeline if line["kind"] == "complete"),
    }
    template = "session/summary.html"
    if request.htmx:
        template += "#check-in"
    return render(request, template, context, status=status)
