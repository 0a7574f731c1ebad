"""The health screening: what a person declares, and what it means for them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..courses.schedule import postpone_while_waiting
from ..forms.screening import ScreeningForm
from ..models import Contraindication, Screening


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def screening(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    catalogue = list(Contraindication.objects.order_by("name"))
    current = Screening.objects.prefetch_related("declared__condition__sources").of(request.user)
    if request.method == "POST":
        form = ScreeningForm(request.POST, catalogue=catalogue, today=today)
        if form.is_valid():
            # The answers and the courses they move are saved together, or not at all.
            with transaction.atomic():
                form.save(request.user)
                moved = postpone_while_waiting(request.user, today)
            messages.success(request, _("Your screening is saved. Here is what it means for you."))
            for waiting in moved:
                messages.info(
                    request,
                    _(
                        "“%(course)s” now goes on from %(date)s: the sessions that fell while "
                        "your condition lasts moved there, and the rest follow in the same rhythm."
                    )
                    % {
                        "course": waiting.course.name,
                        "date": dateformat.format(waiting.until, "l j E"),
                    },
                )
            return redirect("routines:screening")
        status = 422
    else:
        form = ScreeningForm(
            initial=ScreeningForm.initial_for(current), catalogue=catalogue, today=today
        )
        status = 200
    declared = list(current.declared.all()) if current else []
    context = {
        "form": form,
        "screening": current,
        "declared": [{"declared": d, "active": d.is_active(today)} for d in declared],
        "no_massage": [
            d
            for d in declared
            if d.condition.kind == Contraindication.Kind.ABSOLUTE and d.is_active(today)
        ],
        "see_doctor": [c for c in catalogue if c.see_doctor],
        "today": today,
        "nav": "screening",
    }
    return render(request, "routines/screening.html", context, status=status)
