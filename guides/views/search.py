"""The search page: a plain GET form that htmx upgrades to results while typing.

Results are the same for everyone, so readers without cookies get them as a shared page, cached
by content version like the others. A search that finds nothing is counted for editors when
the reader asked for it (the form sent, or the address opened), not at each pause while typing,
and its page is never kept by a shared cache, so that each such search is counted.
"""

import hashlib
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from guides import content_version, page_cache
from guides.forms import SearchForm
from guides.models.content import language_codes
from guides.search import missed, search
from guides.views.responses import refuse

FORM_ID = "search-form"
TEMPLATE = "guides/search.html"


@require_safe
@vary_on_headers("HX-Request")
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return refuse(request, 400, _("This page of results does not exist. Search again from the first page."))
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    shared = page_cache.is_shared(request)
    key = _key(form, partial)
    if shared and (kept := page_cache.kept_page(request, key)):
        return kept
    query, page = form.cleaned_data["q"], form.cleaned_data["page"]
    results = search(query, get_language(), page)
    html = _render(request, results, partial)
    if results.searched and not results.results:
        if page == 1 and (not partial or request.htmx.trigger == FORM_ID):
            missed.count(query, get_language())
        return page_cache.own_page(request, html)  # never kept: the next one is counted too
    return page_cache.keep_page(request, key, html) if shared else page_cache.own_page(request, html)


def _render(request: HttpRequest, results, partial: bool) -> str:
    context = {"results": results, "form_id": FORM_ID, "alternates": _alternates(request, results)}
    if partial:
        parts = [
            render_to_string(f"{TEMPLATE}#{name}", context, request=request) for name in ("results", "announcement")
        ]
        return "".join(part.strip() for part in parts)
    return render_to_string(TEMPLATE, context, request=request)


def _alternates(request: HttpRequest, results) -> dict[str, str]:
    """The same search in each language (the language switcher keeps the query)."""
    query = {"q": results.query} if results.searched else {}
    if results.page > 1:
        query["page"] = results.page
    address = f"{request.path}?{urlencode(query)}" if query else request.path
    return {code: translate_url(address, code) for code in language_codes()}


def _key(form: SearchForm, partial: bool) -> str:
    """A page shows the query as typed and its page number, nothing else of its address."""
    searched = f"{form.cleaned_data['q']}\0{form.cleaned_data['page']}".encode()
    address = hashlib.blake2b(searched, digest_size=16).hexdigest()
    version = content_version.current()
    return ":".join(("guides", "search", str(version), get_language(), address, "partial" if partial else "page"))
