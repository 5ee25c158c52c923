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
    """``page_path`` in the context names the page when the request is not for it (a cached
    page built while answering an action); otherwise the request's own address."""
    request = context.get("request")
    path = context.get("page_path") or (request.get_full_path() if request else "/")
    current = get_language()
    return [
        LanguageLink(code, get_language_info(code)["name_local"], translate_url(path, code), code == current)
        for code, _name in settings.LANGUAGES
    ]
