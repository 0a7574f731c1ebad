"""A person's own routines: the list, the step-by-step builder and the engine's fixes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ..fixes import apply_fix, report_for
from ..forms.routines import (
    AddToRoutineForm,
    DuplicateForm,
    FixForm,
    MoveForm,
    RoutineNameForm,
    StepForm,
)
from ..models import Routine, RoutineStep, Source
from ..models.routine import MAX_STEPS
from ..safety import Person, RuleBook
from .page_cache import cached_page

BUILDER = "routines/builder.html"
VERDICTS = {
    "ok": gettext_lazy("Ready to start: nothing to watch out for."),
    "caution": gettext_lazy("Ready to start, with cautions: read them first."),
    "forbidden": gettext_lazy(
        "Not ready: at least one step is unsafe. Change it, fix it or remove it."
    ),
    "postpone": gettext_lazy("Postpone: one of your conditions means waiting before any massage."),
    "block": gettext_lazy("No massage: one of your conditions rules it out. Talk to your doctor."),
}
SOURCES = Prefetch("sources", queryset=Source.objects.only("file_name"))


# --- Helpers -----------------------------------------------------------------------------------


def _owned_routine(request: HttpRequest, pk: int) -> Routine:
    return get_object_or_404(Routine, pk=pk, owner=request.user)


def _owned_step(routine: Routine, step_pk: int) -> RoutineStep:
    return get_object_or_404(
        RoutineStep.objects.select_related("zone"), pk=step_pk, routine=routine
    )


def _person(request: HttpRequest) -> Person:
    return Person.of(request.user, timezone.localdate())


def _steps(routine: Routine) -> list[RoutineStep]:
    return list(
        routine.steps.select_related("technique__category", "zone__instead")
        .prefetch_related(Prefetch("technique__sources", queryset=Source.objects.only("file_name")))
        .order_by("position")
    )


def _render_builder(
    request: HttpRequest,
    routine: Routine,
    *,
    status: int = 200,
    problem: str = "",
    notice: str = "",
    add_form: StepForm | None = None,
    editing: RoutineStep | None = None,
    edit_form: StepForm | None = None,
    name_form: RoutineNameForm | None = None,
    focus: str = "",
) -> HttpResponse:
    steps = _steps(routine)
    person = _person(request)
    report = report_for(routine, person, RuleBook.load(), steps)
    context = {
        "routine": routine,
        "rows": [(step, report.for_step(step.position)) for step in steps],
        "step_count": len(steps),
        "total_seconds": sum(s.duration_s for s in steps),
        "report": report,
        "general": sorted(report.general, key=lambda f: f.severity.rank),
        "verdict_text": VERDICTS[report.verdict],
        "has_screening": person.screening is not None,
        "problem": problem,
        "notice": notice,
        "add_form": add_form or StepForm(prefix_id="add"),
        "editing": editing,
        "edit_form": edit_form,
        "name_form": name_form or RoutineNameForm(instance=routine),
        "max_steps": MAX_STEPS,
        "nav": "routines",
        # Where keyboard focus goes after an htmx swap (static/js/builder.js): the problem, the
        # step being edited, or the step that changed; otherwise the notice.
        "focus": focus
        or ("builder-problem" if problem else f"step-{editing.pk}" if editing else ""),
    }
    template = f"{BUILDER}#steps" if request.htmx else BUILDER
    return render(request, template, context, status=status)


def _done(request: HttpRequest, routine: Routine, notice: str, anchor: str = "steps"):
    """After a change: the fresh steps for htmx, a redirect back to the page otherwise."""
    if request.htmx:
        focus = anchor if anchor != "steps" else "builder-notice"
        return _render_builder(request, routine, notice=notice, focus=focus)
    messages.success(request, notice)
    return redirect(f"{reverse('routines:builder', args=[routine.pk])}#{anchor}")


def _first_error(form) -> str:
    for errors in form.errors.values():
        return errors[0]
    return _("Please check the form.")


# --- The list of routines ----------------------------------------------------------------------


def _render_list(request: HttpRequest, create_form=None, status=200) -> HttpResponse:
    rules, person = RuleBook.load(), _person(request)
    step_queryset = RoutineStep.objects.select_related("technique__category", "zone").order_by(
        "position"
    )
    routines = list(
        Routine.objects.owned_by(request.user)
        .prefetch_related(Prefetch("steps", queryset=step_queryset))
        .order_by("name", "pk")
    )
    rows = []
    for routine in routines:
        steps = list(routine.steps.all())
        report = report_for(routine, person, rules, steps)
        rows.append(
            {
                "routine": routine,
                "step_count": len(steps),
                "total_seconds": sum(s.duration_s for s in steps),
                "verdict": report.verdict,
            }
        )
    context = {
        "rows": rows,
        "create_form": create_form or RoutineNameForm(),
        "nav": "routines",
    }
    return render(request, "routines/routine_list.html", context, status=status)


@login_required
@require_safe
@cached_page
def routine_list(request: HttpRequest) -> HttpResponse:
    return _render_list(request)


@login_required
@require_POST
def routine_create(request: HttpRequest) -> HttpResponse:
    form = RoutineNameForm(request.POST, instance=Routine(owner=request.user))
    if not form.is_valid():
        return _render_list(request, create_form=form, status=422)
    routine = form.save()
    messages.success(
        request, _("“%(routine)s” is ready for its first step.") % {"routine": routine.name}
    )
    return redirect("routines:builder", pk=routine.pk)


@login_required
@require_POST
def routine_rename(request: HttpRequest, pk: int) -> HttpResponse:
    routine = _owned_routine(request, pk)
    form = RoutineNameForm(request.POST, instance=routine)
    if not form.is_valid():
        routine.refresh_from_db()
        return _render_builder(request, routine, status=422, name_form=form)
    form.save()
    messages.success(request, _("Renamed to “%(routine)s”.") % {"routine": routine.name})
    return redirect("routines:builder", pk=routine.pk)


@login_required
@require_POST
def routine_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    routine = _owned_routine(request, pk)
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _render_list(request, status=422)
    name = form.cleaned_data["name"].strip() or _("%(routine)s (copy)") % {"routine": routine.name}
    copy = routine.copy_for(request.user, name=name)
    messages.success(
        request, _("“%(routine)s” is a copy you can change freely.") % {"routine": copy.name}
    )
    return redirect("routines:builder", pk=copy.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def routine_delete(request: HttpRequest, pk: int) -> HttpResponse:
    routine = _owned_routine(request, pk)
    if request.method == "POST":
        name = routine.name
        routine.delete()
        messages.success(request, _("“%(routine)s” is deleted.") % {"routine": name})
        return redirect("routines:routine-list")
    context = {"routine": routine, "step_count": routine.steps.count(), "nav": "routines"}
    return render(request, "routines/routine_delete.html", context)


# --- The builder -------------------------------------------------------------------------------


@login_required
@require_safe
@cached_page
def builder(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_builder(request, _owned_routine(request, pk))


def _add_step(routine: Routine, form: StepForm) -> RoutineStep | None:
    """Append the form's step; None when the routine is already full."""
    with transaction.atomic():
        Routine.objects.select_for_update().filter(pk=routine.pk).first()
        if routine.steps.count() >= MAX_STEPS:
            return None
        step = form.save(commit=False)
        step.routine = routine
        step.position = routine.next_position()
        step.save()
    return step


def _full(max_steps: int = MAX_STEPS) -> str:
    return ngettext(
        "A routine holds at most %(count)d step: remove one before adding another.",
        "A routine holds at most %(count)d steps: remove one before adding another.",
        max_steps,
    ) % {"count": max_steps}


@login_required
@require_POST
def step_add(request: HttpRequest, pk: int) -> HttpResponse:
    routine = _owned_routine(request, pk)
    form = StepForm(request.POST, prefix_id="add")
    if not form.is_valid():
        return _render_builder(
            request, routine, status=422, add_form=form, problem=_first_error(form)
        )
    step = _add_step(routine, form)
    if step is None:
        return _render_builder(request, routine, status=409, add_form=form, problem=_full())
    notice = _("Step %(position)d added.") % {"position": step.position}
    return _done(request, routine, notice, anchor=f"step-{step.pk}")


@login_required
@require_POST
def step_add_to_routine(request: HttpRequest) -> HttpResponse:
    """The technique page's "add to my routine": the routine is a field of the form."""
    form = AddToRoutineForm(request.POST, user=request.user)
    status = 422
    problem = ""
    if form.is_valid():
        routine = form.cleaned_data["routine"]
        step = _add_step(routine, form)
        if step is not None:
            messages.success(
                request,
                _("%(technique)s added as step %(position)d.")
                % {"technique": step.technique.name, "position": step.position},
            )
            return redirect(f"{reverse('routines:builder', args=[routine.pk])}#step-{step.pk}")
        status, problem = 409, _full()
    context = {"form": form, "problem": problem, "nav": "routines"}
    return render(request, "routines/add_step.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def step_edit(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    routine = _owned_routine(request, pk)
    step = _owned_step(routine, step_pk)
    if request.method != "POST":  # GET or HEAD
        form = StepForm(instance=step, prefix_id=f"edit-{step.pk}")
        return _render_builder(request, routine, editing=step, edit_form=form)
    form = StepForm(request.POST, instance=step, prefix_id=f"edit-{step.pk}")
    if not form.is_valid():
        step.refresh_from_db()
        return _render_builder(
            request,
            routine,
            status=422,
            editing=step,
            edit_form=form,
            problem=_first_error(form),
        )
    form.save()
    notice = _("Step %(position)d saved.") % {"position": step.position}
    return _done(request, routine, notice, anchor=f"step-{step.pk}")


@login_required
@require_POST
def step_delete(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    routine = _owned_routine(request, pk)
    step = _owned_step(routine, step_pk)
    with transaction.atomic():
        step.delete()
        routine.renumber(list(routine.steps.order_by("position").values_list("pk", flat=True)))
    return _done(request, routine, _("Step %(position)d removed.") % {"position": step.position})


@login_required
@require_POST
def step_move(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    routine = _owned_routine(request, pk)
    step = _owned_step(routine, step_pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _render_builder(request, routine, status=422, problem=_first_error(form))
    try:
        routine.move_step(step, form.cleaned_data["to"])
    except ValueError as error:
        return _render_builder(request, routine, status=422, problem=str(error))
    notice = _("Moved to position %(position)d.") % {"position": form.cleaned_data["to"]}
    return _done(request, routine, notice, anchor=f"step-{step.pk}")


@login_required
@require_POST
def routine_fix(request: HttpRequest, pk: int) -> HttpResponse:
    routine = _owned_routine(request, pk)
    form = FixForm(request.POST, routine=routine)
    if not form.is_valid():
        return _render_builder(request, routine, status=422, problem=_first_error(form))
    code, step = form.cleaned_data["code"], form.cleaned_data["step"]
    try:
        changed = apply_fix(routine, code, step, _person(request))
    except ValueError as error:  # FixRefused, or a fix that does not fit the routine
        return _render_builder(request, routine, status=409, problem=str(error))
    return _done(request, routine, _("Fixed."), anchor=f"step-{changed.pk}")


@login_required
@require_safe
@cached_page
def routine_card(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable card of the routine's steps."""
    routine = _owned_routine(request, pk)
    context = {"routine": routine, "steps": routine.ordered_steps()}
    return render(request, "routines/card.html", context)
