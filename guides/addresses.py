"""Pages' addresses in each language, and where an old address leads now.

A platform's and a guide's address holds their slugs, one per language (see
``guides.models.content.HasSlugs``). Every address a page takes is kept (``Address``), written
in the transaction of the save that gives it; when an editor renames a page, its old addresses
answer a permanent redirect to the new one, so links from search engines, bookmarks and shared
messages never break. A reader's action posted from a page loaded before the rename still
reaches its guide.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone, translation

from guides.models import Address, Guide, Platform
from guides.models.content import language_codes


def in_each_language(address: Callable[[], str]) -> dict[str, str]:
    """``address()`` worked out in each language, by language code."""
    found = {}
    for code in language_codes():
        with translation.override(code):
            found[code] = address()
    return found


def absolute(path: str) -> str:
    """``path`` at the site's public address (``SITE_URL``), never at the host a request named:
    shared pages are cached, and a forged Host header must not end up in them."""
    return settings.SITE_URL.rstrip("/") + path


def record(sender, instance: Platform | Guide, raw: bool = False, **kwargs) -> None:
    """Keep the addresses a saved platform or guide now has (a platform's guides move with it)."""
    if raw:
        return
    if isinstance(instance, Platform):
        pages = [instance, *instance.guides.all()]
        for guide in pages[1:]:
            guide.platform = instance
    else:
        pages = [instance]
    now = timezone.now()
    rows = {"platform": [], "guide": []}
    for page in pages:
        kind = "platform" if isinstance(page, Platform) else "guide"
        rows[kind] += [
            Address(path=path, since=now, **{kind: page}) for path in in_each_language(page.get_absolute_url).values()
        ]
    for kind, addresses in rows.items():
        if addresses:  # a path the page had before and takes again becomes its latest
            Address.objects.bulk_create(
                addresses, update_conflicts=True, unique_fields=["path", kind], update_fields=["since"]
            )


def moved_guide(platform_slug: str, guide_slug: str) -> Guide | None:
    """The published guide whose page was last at these slugs, in the active language."""
    path = reverse("guides:guide", args=[platform_slug, guide_slug])
    found = _latest(path, guide__status=Guide.Status.PUBLISHED)
    return found.guide if found else None


def follow_moves(view):
    """Answer a page view's 404 with a permanent redirect when its address has moved."""

    @wraps(view)
    def view_or_redirect(request: HttpRequest, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            moved_to = _moved_to(request.path)
            if moved_to is None:
                raise
            return HttpResponsePermanentRedirect(moved_to)

    return view_or_redirect


def _latest(path: str, **only) -> Address | None:
    addresses = Address.objects.filter(path=path, **only).select_related("guide__platform", "platform")
    return addresses.order_by("-since", "-pk").first()


def _moved_to(path: str) -> str | None:
    address = _latest(path)
    if address is None:
        return None
    if address.guide is not None:
        public = address.guide.is_published
        current = address.guide.get_absolute_url()
    else:
        public = address.platform.guides.published().exists()
        current = address.platform.get_absolute_url()
    return current if public and current != path else None
