"""The language switcher: the current page's address in each language."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    is_current: bool


@register.simple_tag(takes_context=True)
def language_links(context) -> list[LanguageLink]:
    """A page whose address holds slugs, which differ by language, or a query string that
    matters (search), gives its address in each language as ``alternates``; other pages are at
    the request's own path in the other language. Never the query string as the request sent it:
    a shared page keeps whatever its first request sent, for everyone."""
    alternates = context.get("alternates") or {}
    request = context.get("request")
    path = request.path if request else "/"
    current = get_language()
    return [
        LanguageLink(
            code,
            get_language_info(code)["name_local"],
            alternates[code] if code in alternates else translate_url(path, code),
            code == current,
        )
        for code, _name in settings.LANGUAGES
    ]
