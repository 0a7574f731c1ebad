"""Signing up, and the edges of Django's own login and password reset: the lockout page after
too many failed logins, and reset forms that answer bad input with 422."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import throttle
from ..forms.accounts import SignupForm


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("routines:routine-list")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if not throttle.signup_allowed(request):
            context = {"form": SignupForm(), "too_many": True}
            return render(request, "registration/signup.html", context, status=429)
        if form.is_valid():
            user = form.save()
            throttle.count_signup(request)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _(
                    "Welcome to Backwise. Start with the short health screening: it lets every "
                    "routine be checked for you."
                ),
            )
            return redirect("routines:screening")
        return render(request, "registration/signup.html", {"form": form}, status=422)
    return render(request, "registration/signup.html", {"form": form})


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """What django-axes answers once an account is locked out for this client (429)."""
    minutes = max(1, round(get_cool_off(request).total_seconds() / 60))
    context = {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    locked = render(request, "registration/locked_out.html", context, status=429)
    locked["Retry-After"] = str(minutes * 60)
    return locked


class LikeOurForms:
    """Django's password views re-render an invalid form with 200 and take PUT as a POST; every
    form here answers invalid input with 422, and a method it does not take with 405."""

    http_method_names = ["get", "head", "post"]

    def dispatch(self, request, *args, **kwargs):
        # The reset-link view answers before View.dispatch would refuse the method.
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=422)


class PasswordResetView(LikeOurForms, auth_views.PasswordResetView):
    pass


class PasswordResetConfirmView(LikeOurForms, auth_views.PasswordResetConfirmView):
    def dispatch(self, *args, **kwargs):
        response = super().dispatch(*args, **kwargs)
        if self.request.method == "POST" and not self.validlink:
            # A new password sent through a used or forged link: refused, with the page saying so.
            response.status_code = 422
        return response
