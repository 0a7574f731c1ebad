from django.contrib import admin
from django.urls import include, path

from routines.views.accounts import PasswordResetConfirmView, PasswordResetView
from routines.views.ops import favicon, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    # Django's own reset views, answering an invalid form with 422 like every form here.
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("routines.urls")),
]
