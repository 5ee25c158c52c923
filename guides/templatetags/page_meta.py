"""``{% page_meta title description kind %}``: what a public page tells search engines and link
previews in its ``<head>``: its canonical address, its address in each language (and the source
language's as the default), Open Graph and Twitter card tags, and the feed of its language.

Every address is absolute, at ``SITE_URL``: pages are cached and shared, so nothing in them may
come from the Host header of the request that happened to build them. Pages that are nobody's
to index (errors, staff previews) do not use the tag.
"""

from django import template
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from guides.addresses import absolute
from guides.feeds import FEED_TITLE
from guides.models import SOURCE_LANGUAGE
from guides.models.content import language_codes

register = template.Library()


@register.inclusion_tag("guides/_page_meta.html", takes_context=True)
def page_meta(context, title: str, description: str = "", kind: str = "website") -> dict:
    """``alternates`` in the context, when the page has them, give its address in each language
    (pages whose addresses hold slugs); other pages are at their own address in each language."""
    alternates = context.get("alternates") or {}
    request = context.get("request")
    path = request.path if request else reverse("guides:home")
    addresses = {code: absolute(alternates.get(code) or translate_url(path, code)) for code in language_codes()}
    current = get_language()
    return {
        "title": title,
        "description": description or _("Step-by-step guides for the apps you use, in French and English."),
        "kind": kind,
        "canonical": addresses.get(current, addresses[SOURCE_LANGUAGE]),
        "addresses": addresses,
        "default_address": addresses[SOURCE_LANGUAGE],
        "locale": open_graph_locale(current),
        "other_locales": [open_graph_locale(code) for code in addresses if code != current],
        "site_name": _("Help center"),
        "feed": absolute(reverse("guides:feed")),
        "feed_title": FEED_TITLE,
    }


def open_graph_locale(code: str) -> str:
    """Open Graph wants language_TERRITORY (``fr_FR``): each language's translators say which."""
    with translation.override(code):
        return pgettext("Open Graph locale of this language, as language_TERRITORY", "en_US")
