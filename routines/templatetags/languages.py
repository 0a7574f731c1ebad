"""The page in each language: for hreflang alternates and the language switcher."""

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def alternates(context) -> list[tuple[str, str, str]]:
    """(code, name, absolute URL) of the current page in every language of the site."""
    request = context.get("request")
    if request is None:
        return []
    path = request.get_full_path()
    pages = [(code, name, translate_url(path, code)) for code, name in settings.LANGUAGES]
    try:
        return [(code, name, request.build_absolute_uri(url)) for code, name, url in pages]
    except DisallowedHost:  # the 400 page for a request to another host: no host to name
        return pages
