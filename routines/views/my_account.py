"""The person's account page: their e-mail address, all their data as a file, closing it."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from .. import personal_data
from ..forms.accounts import AccountDeleteForm, EmailForm


def _posted(request: HttpRequest):
    """The posted data, even when empty: an empty post is a form to refuse, not a page view."""
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    form = EmailForm(_posted(request), instance=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your e-mail address is saved."))
            return redirect("routines:account")
        status = 422
    context = {"form": form, "nav": "account"}
    return render(request, "registration/account.html", context, status=status)


@login_required
@require_safe
@never_cache
def account_data(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    data = personal_data.export(request.user, now=now)
    response = JsonResponse(
        data, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    name = f"backwise-data-{timezone.localdate(now).isoformat()}.json"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(_posted(request), request=request)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            personal_data.erase(request.user)
            logout(request)
            return redirect("routines:account-deleted")
        status = 422
    context = {"form": form, "nav": "account"}
    return render(request, "registration/account_delete.html", context, status=status)


@require_safe
def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/account_deleted.html")
