"""Courses: plan one from a routine, follow it session by session, see how it went."""

from __future__ import annotations

import datetime as dt
import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from .. import courses as planner
from ..charts import course_chart
from ..forms_courses import CoursePlanForm, PostponeForm, RoutinePickForm, StopCourseForm
from ..forms_session import DayCheckForm, prep_items
from ..models import Course, CourseSession, PrepItem, Routine, Screening, SessionRun, Severity
from ..safety import RuleBook, active_conditions


def _owned_course(request: HttpRequest, pk: int) -> Course:
    return get_object_or_404(Course.objects.select_related("routine"), pk=pk, owner=request.user)


def _owned_session(course: Course, index: int) -> CourseSession:
    return get_object_or_404(CourseSession, course=course, index=index)


def _systolic(screening: Screening | None) -> int | None:
    return screening.usual_systolic if screening else None


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


# --- Dashboard --------------------------------------------------------------------------------


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    courses = Course.objects.owned_by(request.user).with_progress(today).select_related("routine")
    routines = Routine.objects.owned_by(request.user).with_totals().order_by("-updated_at")[:5]
    runs = (
        SessionRun.objects.owned_by(request.user)
        .filter(state__in=[SessionRun.State.FINISHED, SessionRun.State.STOPPED])
        .select_related("course_session__course")
        .order_by("-ended_at")[:5]
    )
    context = {
        "courses": courses,
        "routines": routines,
        "runs": runs,
        "ready_made": Routine.objects.ready_made().order_by("name").only("pk", "name", "slug"),
        "today": today,
        "routine_list_url": _url_or_none("routines:routine-list"),
        "ready_made_url": _url_or_none("routines:ready-made-list"),
        "nav": "courses",
    }
    return render(request, "courses/dashboard.html", context)


# --- Planning ---------------------------------------------------------------------------------


def _pickable_routine(request: HttpRequest, data) -> Routine | HttpResponse:
    pick = RoutinePickForm(data)
    if not pick.is_valid():
        return HttpResponseBadRequest("Name the routine to plan a course from.")
    return get_object_or_404(
        Routine.objects.filter(Q(owner=request.user) | Q(owner__isnull=True)),
        pk=pick.cleaned_data["routine"],
    )


@require_http_methods(["GET", "POST"])
@login_required
def course_new(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    routine = _pickable_routine(request, data)
    if isinstance(routine, HttpResponse):
        return routine
    today = timezone.localdate()
    bound = request.method == "POST" or "start_date" in data
    initial = {"name": f"Course: {routine.name}"[:120], "total_sessions": 12}
    form = CoursePlanForm(data if bound else None, initial=initial, today=today)
    context = {"form": form, "routine": routine, "nav": "courses"}
    status = 200
    if bound and not form.is_valid():
        status = 422
    elif bound:
        context.update(_preview(request.user, routine, form.cleaned_data, today))
        if request.method == "POST":
            if context["blockers"]:
                status = 409
            else:
                course = planner.create_course(
                    request.user,
                    routine,
                    context["sessions"],
                    name=form.cleaned_data["name"],
                    rhythm=form.cleaned_data["rhythm"],
                )
                messages.success(request, f"Your course “{course.name}” is planned.")
                return _redirect(request, course.get_absolute_url())
    template = "courses/new.html#preview" if request.htmx else "courses/new.html"
    return render(request, template, context, status=status)


def _preview(user, routine: Routine, data: dict, today: dt.date) -> dict:
    screening = Screening.objects.of(user)
    sessions = planner.plan_course(
        routine,
        # Conditions in force on the first day: a temporary one that ends before then is gone.
        screening_conditions=active_conditions(screening, data["start_date"]),
        systolic=_systolic(screening),
        total_sessions=data["total_sessions"],
        rhythm=data["rhythm"],
        start_date=data["start_date"],
    )
    in_year = planner.courses_in_year(user, data["start_date"])
    return {
        "sessions": sessions,
        "blockers": planner.plan_blockers(sessions),
        "cautions": _general_cautions(sessions),
        "too_many_courses": in_year >= planner.COURSES_PER_YEAR,
        "courses_in_year": in_year,
        "course_sources": planner.COURSE_SOURCES,
        "has_screening": screening is not None,
        "last_date": sessions[-1].planned_date,
        "rhythm_label": Course.Rhythm(data["rhythm"]).label,
    }


def _general_cautions(sessions) -> list:
    seen: list = []
    for session in sessions:
        for finding in session.report.general:
            if not finding.stops_start and finding not in seen:
                seen.append(finding)
    return seen


# --- Following it -----------------------------------------------------------------------------


@require_GET
@login_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = _owned_course(request, pk)
    sessions = list(course.sessions.all())
    today = timezone.localdate()
    upcoming = next((s for s in sessions if s.is_pending), None)
    context = {
        "course": course,
        "sessions": sessions,
        "upcoming": upcoming,
        "held": sum(1 for s in sessions if s.is_held),
        "today": today,
        "chart": course_chart(sessions, title_id="chart-title", desc_id="chart-desc"),
        "course_sources": planner.COURSE_SOURCES,
        "nav": "courses",
    }
    if course.is_active and upcoming is not None:
        screening = Screening.objects.of(request.user)
        report = planner.gate(upcoming, screening, today, rules=RuleBook.load())
        context["gate"] = report
        context["stops"] = [
            f for f in report.general if f.severity in {Severity.BLOCK, Severity.POSTPONE}
        ]
        context["must_stop"] = any(f.severity == Severity.BLOCK for f in report.general)
        earliest = max(today, upcoming.planned_date)
        context["postpone_form"] = PostponeForm(
            initial={"until": planner.postpone_date(screening, today, course)}, earliest=earliest
        )
        context["stop_form"] = StopCourseForm(
            initial={"reason": " ".join(f.message for f in context["stops"])[:300]}
        )
    if course.status == Course.Status.FINISHED:
        context["next_start"] = course.suggested_next_start(sessions)
    return render(request, "courses/detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def course_session_start(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    """The same-day check before a course session; its form (marked `check`) starts the run.

    The start buttons on the dashboard and the course page post here without the mark and land
    on the check itself, exactly as a routine's start does.
    """
    course = _owned_course(request, pk)
    session = _owned_session(course, index)
    if not course.is_active or not session.is_pending:
        return _conflict(request, course, "This session is already done, or the course has ended.")
    existing = SessionRun.objects.filter(course_session=session).first()
    if existing is not None and existing.is_live:
        return _redirect(request, _run_url(existing))
    today, now = timezone.localdate(), timezone.now()
    screening = Screening.objects.of(request.user)
    conditions = active_conditions(screening, today)
    form = DayCheckForm(
        request.POST if request.method == "POST" and "check" in request.POST else None,
        asks_systolic=any(c.asks_systolic for c in conditions),
        prep_items=prep_items(PrepItem.Phase.BEFORE, conditions),
    )
    if not form.is_bound or not form.is_valid():
        return _day_check_page(request, course, session, screening, today, form)
    outcome = planner.start_gate(
        session,
        screening,
        today,
        extra_conditions=form.today_conditions(),
        systolic=form.systolic_value,
    )
    if outcome.postponed_until:
        messages.warning(
            request,
            f"Not today: {outcome.reason} Session {session.index} and the ones after it "
            f"now start on {outcome.postponed_until:%-d %B %Y}.",
        )
        return _redirect(request, course.get_absolute_url())
    if not outcome.plan:
        return _conflict(request, course, outcome.reason)
    if existing is not None:
        # A run that ended without counting (an old, abandoned one) frees the session again.
        existing.course_session = None
        existing.save(update_fields=["course_session"])
    run = SessionRun.objects.start(
        request.user,
        _session_title(course, session),
        outcome.plan,
        now,
        routine=course.routine,
        course_session=session,
        day_check=form.day_check(today),
        pain_before=form.cleaned_data["pain_before"],
    )
    return _redirect(request, _run_url(run))


def _session_title(course: Course, session: CourseSession) -> str:
    return f"{course.name} — session {session.index} of {course.total_sessions}"


def _day_check_page(
    request: HttpRequest,
    course: Course,
    session: CourseSession,
    screening: Screening | None,
    today: dt.date,
    form: DayCheckForm,
) -> HttpResponse:
    """The check page of `session/start.html`, with what the engine says about the frozen plan."""
    steps = [s for s in session.plan if s.get("kind") == "step"]
    report = planner.gate(session, screening, today, rules=RuleBook.load())
    if any(f.stops_start for f in report.general):
        blocked_hint = "The course page lets you move this course to later days, or stop it."
    else:
        # start_gate plans the session again when only single steps are ruled out.
        blocked_hint = (
            "When you start, the session is planned again so every step keeps to these rules."
        )
    context = {
        "title": _session_title(course, session),
        "action_url": reverse("routines:course-session-start", args=[course.pk, session.index]),
        "back_url": course.get_absolute_url(),
        "back_label": "Back to the course",
        "blocked_hint": blocked_hint,
        "form": form,
        "report": report,
        "steps": steps,
        "total_minutes": math.ceil(sum(int(s["duration_s"]) for s in steps) / 60),
        "refused": False,
        "plan_word": "session",
        "nav": "courses",
    }
    template = "session/start.html"
    if request.htmx and form.is_bound:
        template += "#day-check"
    return render(request, template, context, status=422 if form.is_bound else 200)


def _run_url(run: SessionRun) -> str:
    return reverse("routines:session-run", args=[run.pk])


def _conflict(request: HttpRequest, course: Course, reason: str) -> HttpResponse:
    context = {"course": course, "reason": reason, "nav": "courses"}
    return render(request, "courses/conflict.html", context, status=409)


@require_POST
@login_required
def course_session_postpone(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    course = _owned_course(request, pk)
    session = _owned_session(course, index)
    if not course.is_active or not session.is_pending:
        return HttpResponse("Only a session still to do can move.", status=409)
    return _postpone(request, course, session)


@require_POST
@login_required
def course_postpone(request: HttpRequest, pk: int) -> HttpResponse:
    course = _owned_course(request, pk)
    first = course.sessions.pending().order_by("index").first()
    if not course.is_active or first is None:
        return HttpResponse("Nothing is left to move in this course.", status=409)
    return _postpone(request, course, first)


def _postpone(request: HttpRequest, course: Course, session: CourseSession) -> HttpResponse:
    today = timezone.localdate()
    form = PostponeForm(request.POST, earliest=max(today, session.planned_date))
    if not form.is_valid():
        error = "; ".join(e for errors in form.errors.values() for e in errors)
        return HttpResponse(error, status=422, content_type="text/plain; charset=utf-8")
    gap = course.postpone_until(
        form.cleaned_data["until"], form.cleaned_data["reason"], from_index=session.index
    )
    if gap:
        messages.success(
            request,
            f"Session {session.index} and the ones after it moved {gap} day"
            f"{'s' if gap != 1 else ''} later.",
        )
    return _redirect(request, course.get_absolute_url())


@require_POST
@login_required
def course_stop(request: HttpRequest, pk: int) -> HttpResponse:
    course = _owned_course(request, pk)
    if not course.is_active:
        return HttpResponse("This course has already ended.", status=409)
    form = StopCourseForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Say briefly why the course stops.", status=422)
    course.stop(form.cleaned_data["reason"])
    messages.success(request, "The course is stopped. Its history stays here.")
    return _redirect(request, course.get_absolute_url())


# --- Seeing it --------------------------------------------------------------------------------


@require_GET
@login_required
def course_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    course = _owned_course(request, pk)
    sessions = course.sessions.pending().order_by("index")
    body = planner.schedule_ics(course, sessions, now=timezone.now(), host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    filename = f"{slugify(course.name) or 'course'}-schedule.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def course_card(request: HttpRequest, pk: int) -> HttpResponse:
    course = _owned_course(request, pk)
    sessions = list(course.sessions.all())
    longest = max(sessions, key=lambda s: (s.planned_minutes, -s.index), default=None)
    context = {
        "course": course,
        "sessions": sessions,
        "longest": longest.steps() if longest else [],
        "nav": "courses",
    }
    return render(request, "courses/card.html", context)


@require_GET
@login_required
def routine_card(request: HttpRequest, pk: int) -> HttpResponse:
    routine = get_object_or_404(Routine, pk=pk, owner=request.user)
    steps = routine.ordered_steps()
    return render(request, "courses/routine_card.html", {"routine": routine, "steps": steps})
