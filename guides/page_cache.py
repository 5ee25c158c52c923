"""Readers' pages as a shared cache can keep them: compressed once, with a validator, and the
same bytes for everyone who has no cookie of ours.

A page for readers without cookies (``is_shared``) is cached whole, by content version,
language and address: built once per version on each process, it is then one cache read. It
goes out with ``Cache-Control: public`` and an ``s-maxage`` a CDN or nginx can honour, a strong
``ETag`` and a 304 to a matching ``If-None-Match``, and nothing that would tie it to a visitor:
no cookie, no ``Vary: Cookie``. Pages for a reader with a cookie of ours (progress, a message
to show) are theirs alone: ``private``, but compressed and validated all the same.

The sitemap, robots.txt and the feeds are shared the same way, with their own content type.

Compression: Brotli or gzip when the browser accepts it. The pages hold no secret (readers'
forms carry no token, see ``helpcenter.cross_origin``), so compressing them cannot leak one
(BREACH).
"""

import gzip
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import brotli
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from guides import readers

HTML = "text/html; charset=utf-8"
# Brotli's quality 6 makes pages within 2% of quality 9's size, four times faster: a search
# results page, often built for one reader, costs half a millisecond instead of ten.
BROTLI_QUALITY = 6
TIMEOUT = 24 * 60 * 60  # an old version's pages are not read again; they go within a day
# The cookies whose presence makes a page someone's own: a reader's key, a message to show, a
# session (signed-in staff; readers of an earlier version kept their key there). Shared caches
# in front (nginx, a CDN) must pass requests carrying them to the app; deploy/nginx.conf does.
PERSONAL_COOKIES = (readers.COOKIE, CookieStorage.cookie_name, settings.SESSION_COOKIE_NAME)


@dataclass(frozen=True)
class CachedPage:
    body: bytes
    gzip: bytes
    brotli: bytes
    etag: str  # of the body, quoted; each encoding adds a suffix, as its bytes differ
    content_type: str = HTML

    @classmethod
    def of(cls, text: str, content_type: str = HTML) -> "CachedPage":
        body = text.encode()
        return cls(
            body=body,
            gzip=gzip.compress(body, compresslevel=9, mtime=0),
            brotli=brotli.compress(body, quality=BROTLI_QUALITY),
            etag=_etag(body),
            content_type=content_type,
        )


def is_shared(request: HttpRequest) -> bool:
    """Whether this request gets the page every reader without cookies gets."""
    return not any(name in request.COOKIES for name in PERSONAL_COOKIES)


def shared_page(request: HttpRequest, key: str, build: Callable[[], str], content_type: str = HTML) -> HttpResponse:
    """The cached page at ``key`` (which must name the content version), built if missing."""
    return kept_page(request, key) or keep_page(request, key, build(), content_type)


def kept_page(request: HttpRequest, key: str) -> HttpResponse | None:
    """The shared page cached at ``key``, if it is."""
    page = _recent.get(key)
    if page is None:
        page = cache.get(key)
        if page is None:
            return None
        _remember(key, page)
    return _respond(request, page, _shared_control())


def keep_page(request: HttpRequest, key: str, text: str, content_type: str = HTML) -> HttpResponse:
    """Cache ``text`` as the shared page at ``key``, and answer with it."""
    page = CachedPage.of(text, content_type)
    cache.set(key, page, TIMEOUT)
    _remember(key, page)
    return _respond(request, page, _shared_control())


def shared_page_key(request: HttpRequest, version: int, variant: str = "") -> str:
    """The page's key; ``variant`` names a version of the page its address asks for besides
    its path (a guide for one device), already checked: the rest of the query is ignored."""
    return ":".join(("guides", "page", str(version), get_language(), request.path, variant))


# The pages this process served last, as objects: a page of a given version never changes, so
# it need not be read (and unpickled) from the cache each time.
_recent: dict[str, CachedPage] = {}
_RECENT_PAGES = 32


def _remember(key: str, page: CachedPage) -> None:
    if len(_recent) >= _RECENT_PAGES:
        _recent.pop(next(iter(_recent)), None)
    _recent[key] = page


def _shared_control() -> str:
    return f"public, max-age=0, s-maxage={settings.GUIDES_SHARED_CACHE_SECONDS}"


def own_page(request: HttpRequest, html: str) -> HttpResponse:
    """A page for this reader only, compressed for them."""
    body = html.encode()
    page = CachedPage(body=body, gzip=b"", brotli=b"", etag=_etag(body))
    response = _respond(request, page, "private, no-cache")
    patch_vary_headers(response, ["Cookie"])
    return response


def _respond(request: HttpRequest, page: CachedPage, cache_control: str) -> HttpResponse:
    if _matches(request.headers.get("If-None-Match", ""), page.etag):
        response = HttpResponseNotModified()
        response["ETag"] = page.etag
    else:
        encoding, body = _encoded(request, page)
        response = HttpResponse(body, content_type=page.content_type)
        response["ETag"] = page.etag if encoding is None else f'{page.etag[:-1]}-{encoding}"'
        if encoding:
            response["Content-Encoding"] = encoding
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def _encoded(request: HttpRequest, page: CachedPage) -> tuple[str | None, bytes]:
    accepted = _accepted_encodings(request.headers.get("Accept-Encoding", ""))
    if "br" in accepted and page.brotli:
        return "br", page.brotli
    if "gzip" in accepted:
        # A page compressed for one reader: gzip's fast levels cost less than Brotli's.
        return "gzip", page.gzip or gzip.compress(page.body, compresslevel=5, mtime=0)
    return None, page.body


def _accepted_encodings(header: str) -> set[str]:
    accepted = set()
    for item in header.split(","):
        name, _semicolon, parameters = item.strip().partition(";")
        quality = parameters.strip().removeprefix("q=")
        if name and quality not in ("0", "0.0", "0.00", "0.000"):
            accepted.add(name.strip().lower())
    return accepted


def _matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison, as If-None-Match wants: the same page in any encoding matches."""
    if not if_none_match:
        return False
    tag = etag.strip('"')
    for candidate in if_none_match.split(","):
        candidate = candidate.strip().removeprefix("W/").strip('"')
        if candidate == "*" or candidate.split("-", 1)[0] == tag:
            return True
    return False


def _etag(body: bytes) -> str:
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
