"""Courses: plan one from a routine, follow it session by session, see how it went."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ..courses import alternation, planner, schedule
from ..courses.calendar import schedule_ics
from ..courses.chart import BLOOD_PRESSURE_CHART, course_chart
from ..forms.courses import CoursePlanForm, PostponeForm, RoutinePickForm, StopCourseForm
from ..models import Course, CourseSession, Routine, Screening, SessionRun, Severity
from ..safety import Person, RuleBook, person_stops
from ..sessions.start import Candidate
from .page_cache import cached_page
from .session import CheckPage, day_check, redirect_to

LIVE = (SessionRun.State.RUNNING, SessionRun.State.PAUSED)
NOT_MOVED = gettext_lazy("Nothing was moved")


def _owned_course(request: HttpRequest, pk: int) -> Course:
    return get_object_or_404(Course.objects.select_related("routine"), pk=pk, owner=request.user)


def _owned_session(course: Course, index: int) -> CourseSession:
    return get_object_or_404(CourseSession, course=course, index=index)


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


# --- Dashboard --------------------------------------------------------------------------------


@login_required
@require_safe
@cached_page
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    courses = list(
        Course.objects.owned_by(request.user)
        .with_progress(today)
        .select_related("routine__massage_type")
        # Meta.ordering does not reach a grouped query: newest first, said again.
        .order_by("-created_at", "-pk")
    )
    _judge_next_sessions(request.user, courses, today)
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
        "alternation": alternation.advice_after(courses),
        "ready_made": Routine.objects.ready_made().order_by("name").only("pk", "name", "slug"),
        "today": today,
        "routine_list_url": _url_or_none("routines:routine-list"),
        "ready_made_url": _url_or_none("routines:ready-made-list"),
        "nav": "courses",
    }
    return render(request, "courses/dashboard.html", context)


def _judge_next_sessions(user, courses: list[Course], today) -> None:
    """What stops each course's next session on its day (the course page asks the same)."""
    waiting = [c for c in courses if c.is_active and c.next_index]
    if not waiting:
        return
    screening, rules = Screening.objects.of(user), RuleBook.load()
    if screening is None:  # nothing declared: nothing stops a session
        return
    for course in waiting:
        day = max(today, course.next_date)
        course.next_stops = person_stops(Person.of(user, day, screening), rules)


# --- Planning ---------------------------------------------------------------------------------


def _pickable_routine(request: HttpRequest, data) -> Routine | HttpResponse:
    pick = RoutinePickForm(data)
    if not pick.is_valid():
        return HttpResponseBadRequest(_("Name the routine to plan a course from."))
    return get_object_or_404(
        Routine.objects.filter(Q(owner=request.user) | Q(owner__isnull=True)),
        pk=pick.cleaned_data["routine"],
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def course_new(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    routine = _pickable_routine(request, data)
    if isinstance(routine, HttpResponse):
        return routine
    today = timezone.localdate()
    bound = request.method == "POST" or "start_date" in data
    name = _("Course: %(routine)s") % {"routine": routine.name}
    initial = {"name": name[:120], "total_sessions": 12}
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
                messages.success(
                    request, _("Your course “%(course)s” is planned.") % {"course": course.name}
                )
                return redirect_to(request, course.get_absolute_url())
    template = "courses/new.html#preview" if request.htmx else "courses/new.html"
    return render(request, template, context, status=status)


def _preview(user, routine: Routine, data: dict, today: dt.date) -> dict:
    # Conditions in force on the first day: a temporary one that ends before then is gone.
    person = Person.of(user, data["start_date"])
    sessions = planner.plan_course(
        routine,
        person,
        total_sessions=data["total_sessions"],
        rhythm=data["rhythm"],
        start_date=data["start_date"],
    )
    in_year = schedule.courses_in_year(user, data["start_date"])
    return {
        "sessions": sessions,
        "blockers": planner.plan_blockers(sessions),
        "cautions": _general_cautions(sessions),
        "too_many_courses": in_year >= schedule.COURSES_PER_YEAR,
        "alternation": alternation.advice_for_new(user, routine),
        "courses_in_year": in_year,
        "course_sources": schedule.COURSE_SOURCES,
        "has_screening": person.screening is not None,
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


@login_required
@require_safe
@cached_page
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
        "course_sources": schedule.COURSE_SOURCES,
        "readings": any(s.systolic_before or s.systolic_after for s in sessions),
        "alternation": alternation.advice_for_course(course, alternation.history(request.user)),
        "nav": "courses",
    }
    if course.is_active and upcoming is not None:
        # The session is judged for the day it falls on: a condition that ends before then
        # (its sessions already moved past it) no longer stops it.
        day = schedule.next_session_day(upcoming, today)
        person, rules = Person.of(request.user, day), RuleBook.load()
        report = Candidate.of_course_session(upcoming, rules).judge(person, rules)
        context["gate"] = report
        context["stops"] = report.of_severity(Severity.BLOCK, Severity.POSTPONE)
        context["must_stop"] = bool(report.of_severity(Severity.BLOCK))
        earliest = max(today, upcoming.planned_date)
        context["postpone_form"] = PostponeForm(
            initial={"until": schedule.postpone_date(person, today, course)}, earliest=earliest
        )
        context["stop_form"] = StopCourseForm(
            initial={"reason": " ".join(f.message for f in context["stops"])[:300]}
        )
    if context["readings"]:
        context["pressure_chart"] = course_chart(
            sessions, title_id="bp-title", desc_id="bp-desc", chart=BLOOD_PRESSURE_CHART
        )
    if course.status == Course.Status.FINISHED:
        context["next_start"] = course.suggested_next_start(sessions)
    return render(request, "courses/detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def course_session_start(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    """The same-day check before a course session, the same page a routine's start uses."""
    course = _owned_course(request, pk)
    session = _owned_session(course, index)
    if not course.is_active or not session.is_pending:
        return _conflict(
            request, course, _("This session is already done, or the course has ended.")
        )
    live = SessionRun.objects.filter(course_session=session, state__in=LIVE).first()
    if live is not None:
        return redirect_to(request, reverse("routines:session-run", args=[live.pk]))
    page = CheckPage(
        action_url=reverse("routines:course-session-start", args=[course.pk, session.index]),
        back_url=course.get_absolute_url(),
        back_label=_("Back to the course"),
        blocked_hint=_("The course page lets you move this course to later days, or stop it."),
        steps_hint=_(
            "When you start, the session is planned again so every step keeps to these rules."
        ),
        plan_word="session",
        nav="courses",
    )

    def postponed(started) -> HttpResponse:
        messages.warning(
            request,
            _(
                "Not today: %(reason)s Session %(index)d and the ones after it now start on "
                "%(date)s."
            )
            % {
                "reason": started.reason,
                "index": session.index,
                "date": dateformat.format(started.postponed_until, "j E Y"),
            },
        )
        return redirect_to(request, course.get_absolute_url())

    rules = RuleBook.load()
    candidate = Candidate.of_course_session(session, rules)
    return day_check(request, candidate, page, rules, on_postponed=postponed)


def _conflict(
    request: HttpRequest, course: Course, reason: str, heading: str | None = None
) -> HttpResponse:
    context = {
        "course": course,
        "reason": reason,
        "heading": heading or _("This session cannot start"),
        "nav": "courses",
    }
    return render(request, "courses/conflict.html", context, status=409)


@login_required
@require_POST
def course_session_postpone(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    course = _owned_course(request, pk)
    session = _owned_session(course, index)
    if not course.is_active or not session.is_pending:
        return _conflict(request, course, _("Only a session still to do can move."), NOT_MOVED)
    return _postpone(request, course, session)


@login_required
@require_POST
def course_postpone(request: HttpRequest, pk: int) -> HttpResponse:
    course = _owned_course(request, pk)
    first = course.sessions.pending().order_by("index").first()
    if not course.is_active or first is None:
        return _conflict(request, course, _("Nothing is left to move in this course."), NOT_MOVED)
    return _postpone(request, course, first)


def _postpone(request: HttpRequest, course: Course, session: CourseSession) -> HttpResponse:
    today = timezone.localdate()
    form = PostponeForm(request.POST, earliest=max(today, session.planned_date))
    if not form.is_valid():
        context = {"course": course, "session": session, "form": form, "nav": "courses"}
        return render(request, "courses/postpone.html", context, status=422)
    gap = course.postpone_until(
        form.cleaned_data["until"], form.cleaned_data["reason"], from_index=session.index
    )
    if gap:
        messages.success(
            request,
            ngettext(
                "Session %(index)d and the ones after it moved %(count)d day later.",
                "Session %(index)d and the ones after it moved %(count)d days later.",
                gap,
            )
            % {"index": session.index, "count": gap},
        )
    return redirect_to(request, course.get_absolute_url())


@login_required
@require_POST
def course_stop(request: HttpRequest, pk: int) -> HttpResponse:
    course = _owned_course(request, pk)
    if not course.is_active:
        return _conflict(request, course, _("This course has already ended."), _("Nothing to stop"))
    form = StopCourseForm(request.POST)
    if not form.is_valid():
        context = {"course": course, "form": form, "nav": "courses"}
        return render(request, "courses/stop.html", context, status=422)
    course.stop(form.cleaned_data["reason"])
    messages.success(request, _("The course is stopped. Its history stays here."))
    return redirect_to(request, course.get_absolute_url())


# --- Seeing it --------------------------------------------------------------------------------


@login_required
@require_safe
def course_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    course = _owned_course(request, pk)
    sessions = course.sessions.pending().order_by("index")
    body = schedule_ics(course, sessions, now=timezone.now(), host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    filename = f"{slugify(course.name) or 'course'}-schedule.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
@cached_page
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
