"""Signal receivers of the app, connected in RoutinesConfig.ready()."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import LANGUAGE_SESSION_KEY
from .models import Preferences


@receiver(user_logged_in)
def remember_language(sender, request, user, **kwargs) -> None:
    """Bring the language a person chose on their account to this device's session."""
    if request is None or not hasattr(request, "session"):
        return
    language = Preferences.objects.filter(user=user).values_list("language", flat=True).first()
    if language:
        request.session[LANGUAGE_SESSION_KEY] = language
