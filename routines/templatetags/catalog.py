"""Template filters for the catalogue pages.

`{% for alias, note in technique|explained_aliases:query %}`: what the aliases the search
matched mean for this technique; nothing without a search.
"""

from django import template

register = template.Library()


@register.filter
def explained_aliases(technique, text) -> list[tuple[str, str]]:
    if not text:
        return []
    return technique.explained_aliases(str(text))
