"""The language switcher's form lands here: Django's set_language, remembered on the account."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from ..middleware import LANGUAGE_SESSION_KEY
from ..models import Preferences


# The switcher sits in every page's header. With a CSRF token in it, every public page would
# carry per-visitor state and could not be cached (issue 11). Without one, another site could
# at most switch a visitor's language: the session cookie is SameSite=Lax, so such a cross-site
# POST arrives logged out and cannot touch the account.
@csrf_exempt
@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """Set the language cookie and go back to the page, now in that language (set_language).

    A logged-in person's choice is also kept on their account, for their other devices.
    """
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        choices = ", ".join(code for code, _ in settings.LANGUAGES)
        return HttpResponseBadRequest(f"Unknown language: choose one of {choices}.")
    # set_language translates `next` by resolving it in the active language; a Russian page's
    # address only resolves with Russian active, so resolve it in its own language.
    next_url = request.POST.get("next") or request.headers.get("referer", "")
    with translation.override(get_language_from_path(urlsplit(next_url).path)):
        response = set_language(request)
    if request.user.is_authenticated:
        Preferences.objects.update_or_create(user=request.user, defaults={"language": language})
        request.session[LANGUAGE_SESSION_KEY] = language
    return response
