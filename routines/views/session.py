"""The session page: a same-day check, the live step timer, and the summary afterwards.

The server owns the session's clock (`SessionRun`); the browser only draws the countdown from
the step's end time and asks the server to move on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from ..durations import duration, minutes
from ..forms.sessions import CheckInForm, DayCheckForm, SessionActionForm
from ..models import PrepItem, Routine, SessionRun
from ..safety import Person, RuleBook
from ..sessions import actions
from ..sessions.start import Candidate, start

STALE_MESSAGE = gettext_lazy(
    "The session had already moved on (from another tab, or a second tap), "
    "so nothing changed: this is where it stands now."
)


def _get_routine(request: HttpRequest, pk: int) -> Routine:
    return get_object_or_404(Routine, pk=pk, owner=request.user)


def _get_run(request: HttpRequest, pk: int) -> SessionRun:
    return get_object_or_404(SessionRun, pk=pk, owner=request.user)


def redirect_to(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


# --- Before the session: the same-day check, for a routine and a course session alike ---------


@dataclass
class CheckPage:
    """Where a same-day check page sends its form and its way back."""

    action_url: str
    back_url: str
    back_label: str
    blocked_hint: str
    steps_hint: str = ""  # when only single steps stop the start
    plan_word: str = "routine"  # a code for the template: "routine" or "session"
    nav: str = "routines"

    @property
    def nothing_found(self) -> str:
        """The all-clear, one whole sentence per kind of plan (the words differ by language)."""
        if self.plan_word == "session":
            return _("The safety check found nothing to watch out for in this session.")
        return _("The safety check found nothing to watch out for in this routine.")


def day_check(
    request: HttpRequest, candidate: Candidate, page: CheckPage, rules: RuleBook, on_postponed=None
) -> HttpResponse:
    """The check page; its form (marked `check`) runs the same-day check and starts the run.

    Start buttons elsewhere post here without the mark and land on the check itself.
    """
    now = timezone.now()
    person = Person.of(request.user, timezone.localdate(now))
    form = DayCheckForm(
        request.POST if request.method == "POST" and "check" in request.POST else None,
        asks_systolic=rules.needs_reading(person.conditions),
        prep_items=PrepItem.objects.checklist(PrepItem.Phase.BEFORE, person.conditions),
    )
    report, status = candidate.judge(person, rules), 200
    if form.is_bound and not form.is_valid():
        status = 422
    elif form.is_bound:
        today = person.on(form.today_conditions(), form.systolic_value)
        started = start(
            request.user,
            candidate,
            today,
            now=now,
            day_check=form.day_check(person.day),
            pain_before=form.cleaned_data["pain_before"],
            rules=rules,
        )
        if started.run is not None:
            return redirect_to(request, reverse("routines:session-run", args=[started.run.pk]))
        if started.postponed_until and on_postponed:
            return on_postponed(started)
        report, status = started.report, 409
    context = {
        "title": candidate.title,
        "page": page,
        "form": form,
        "report": report,
        "steps": candidate.steps,
        "total_minutes": minutes(candidate.total_seconds),
        "refused": status == 409,
        "nav": page.nav,
    }
    return render(request, "session/start.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_start(request: HttpRequest, pk: int) -> HttpResponse:
    routine = _get_routine(request, pk)
    page = CheckPage(
        action_url=reverse("routines:session-start", args=[routine.pk]),
        back_url=reverse("routines:builder", args=[routine.pk]),
        back_label=_("Back to the routine"),
        blocked_hint=_(
            "Change the routine in the routine builder, or wait until the reason has passed."
        ),
    )
    return day_check(request, Candidate.of_routine(routine), page, RuleBook.load())


# --- During the session ---------------------------------------------------------------------


def _run_context(run: SessionRun, now: dt.datetime, stale: bool = False) -> dict:
    step = run.current_step or {}
    return {
        "run": run,
        "step": step,
        "next_step": run.next_step,
        "segments": run.segments(),
        "remaining": run.remaining(now),
        "halfway_s": int(step.get("duration_s", 0)) / 2,
        "stale_message": STALE_MESSAGE if stale else "",
        "side_switch": step.get("side") in {"left", "right"},
    }


@login_required
@require_safe
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
    moved = actions.perform(run, form.cleaned_data["action"], form.cleaned_data["from_index"], now)
    if not run.is_live:
        return redirect_to(request, reverse("routines:session-summary", args=[run.pk]))
    if request.htmx:
        # A stale request from the page's own timer is normal (another tab moved first): the
        # answer is simply the current state.
        return render(request, "session/run.html#session", _run_context(run, now))
    if moved:
        return redirect("routines:session-run", pk=run.pk)
    return render(request, "session/run.html", _run_context(run, now, stale=True), status=409)


# --- After the session ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_summary(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    if run.is_live:
        return redirect("routines:session-run", pk=run.pk)
    form = CheckInForm(request.POST or None, instance=run)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            actions.check_in(
                run,
                pain_after=form.cleaned_data["pain_after"],
                note=form.cleaned_data["note"],
                today=timezone.localdate(),
                systolic_after=form.systolic_value,
            )
            messages.success(request, _("Thank you, your check-in is saved."))
            return redirect_to(request, reverse("routines:session-summary", args=[run.pk]))
        status = 422
    person = Person.of(request.user, timezone.localdate())
    prefetch_related_objects([run], "events")  # the timeline, time worked and after-care read them
    timeline = run.timeline()
    context = {
        "run": run,
        "form": form,
        "timeline": timeline,
        "aftercare": PrepItem.objects.aftercare(person.conditions, run.techniques_done()),
        "worked": duration(run.worked_seconds()),
        "steps_done": sum(1 for line in timeline if line["kind"] == "complete"),
    }
    template = "session/summary.html"
    if request.htmx:
        template += "#check-in"
    return render(request, template, context, status=status)
