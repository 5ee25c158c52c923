"""URLs of ``make benchmark``: the product's URLs unchanged, plus one bare view per measured case.

A bare view answers ``/<lang>/_bare/<case>/`` with the bytes the real page answered when the
benchmark captured it (status, content type and body; its compressed form too, when the real
page sent one), through the same middleware, under the same language prefix, for any method.
It does no work of its own beyond returning bytes held in memory, so the ratio of a page's
requests per second to its bare twin's is the share of the server's time the page leaves to
everything else (the framework, the middleware, gunicorn, the network stack): 1.0 would be a
page that costs nothing beyond sending its bytes.

The benchmark writes the captures to the folder named by ``BENCHMARK_CAPTURE_DIR`` before it
sends any request here: ``<case>.json`` (status, content type, encoding), ``<case>.body`` (the
uncompressed body) and ``<case>.encoded`` (the body as sent to a browser, when compressed).
"""

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf.urls.i18n import i18n_patterns
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from helpcenter import urls as product_urls

handler400 = product_urls.handler400
handler404 = product_urls.handler404
handler500 = product_urls.handler500


@dataclass(frozen=True)
class Captured:
    status: int
    content_type: str
    body: bytes
    encoding: str | None = None  # "br" or "gzip" when the real page was sent compressed
    encoded: bytes = b""


@cache
def _captured(case: str) -> Captured:
    """Read once per worker; the files exist before the first request for ``case``."""
    folder = Path(os.environ["BENCHMARK_CAPTURE_DIR"])
    try:
        meta = json.loads((folder / f"{case}.json").read_text())
    except FileNotFoundError:
        raise Http404 from None
    encoding = meta.get("encoding")
    return Captured(
        status=meta["status"],
        content_type=meta["content_type"],
        body=(folder / f"{case}.body").read_bytes(),
        encoding=encoding,
        encoded=(folder / f"{case}.encoded").read_bytes() if encoding else b"",
    )


def _accepts(request: HttpRequest, encoding: str) -> bool:
    offered = request.headers.get("Accept-Encoding", "")
    return encoding in {token.split(";")[0].strip().lower() for token in offered.split(",")}


@csrf_exempt  # checking a POST's token or origin is part of the real endpoint's cost, not the floor's
def bare(request: HttpRequest, case: str) -> HttpResponse:
    captured = _captured(case)
    compressed = captured.encoding is not None and _accepts(request, captured.encoding)
    response = HttpResponse(
        captured.encoded if compressed else captured.body,
        status=captured.status,
        content_type=captured.content_type,
    )
    if captured.encoding:
        patch_vary_headers(response, ["Accept-Encoding"])
    if compressed:
        response["Content-Encoding"] = captured.encoding
    return response


urlpatterns = [
    *i18n_patterns(path("_bare/<slug:case>/", bare, name="benchmark-bare")),
    *product_urls.urlpatterns,
]
