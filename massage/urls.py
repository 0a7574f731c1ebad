from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.i18n import JavaScriptCatalog

from routines.views.accounts import PasswordResetConfirmView, PasswordResetView
from routines.views.language import choose_language
from routines.views.ops import favicon, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("language/", choose_language, name="set_language"),
]
# Every page in English at its address as before, and in Russian under /ru/.
urlpatterns += i18n_patterns(
    # Django's own reset views, answering an invalid form with 422 like every form here.
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # The session and builder scripts' texts in the page's language (static/js).
    path(
        "jsi18n/",
        # Changes only with a deploy: browsers keep it for an hour.
        require_safe(cache_control(max_age=3600)(JavaScriptCatalog.as_view(packages=["routines"]))),
        name="javascript-catalog",
    ),
    path("", include("routines.urls")),
    prefix_default_language=False,
)
