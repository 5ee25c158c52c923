"""What machines read: the sitemap, robots.txt and each language's feed.

They are the same for everyone, so they are served as shared pages (``guides.page_cache``):
cached by content version, compressed once, ``public`` with an ``s-maxage``, whatever cookies
the request carries. Their addresses are absolute, from ``SITE_URL``, never from the request.
"""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from guides import content_version, feeds, page_cache, sitemaps

XML = "application/xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    return _shared(request, "sitemap", sitemaps.sitemap_xml, XML)


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    return _shared(request, "robots", sitemaps.robots_txt, TEXT)


@require_safe
def feed(request: HttpRequest) -> HttpResponse:
    return _shared(request, f"feed:{get_language()}", feeds.atom_feed, ATOM)


def _shared(request: HttpRequest, name: str, build, content_type: str) -> HttpResponse:
    key = f"guides:{name}:{content_version.current()}"
    return page_cache.shared_page(request, key, build, content_type)
