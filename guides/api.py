"""The read-only API, ``/api/v1/``: published platforms and guides, and one guide with its
steps, for other apps' help screens. Built with django-ninja (typed schemas, an OpenAPI document
the site serves at ``/api/v1/openapi.json``).

- The language is a query parameter, ``?lang=fr`` (the source language by default): an API
  address names a resource, the same in every language; untranslated texts fall back to the
  source language, as on the site.
- Ids are the database's, stable; every object carries its absolute address on the site.
- Only published content: drafts, guides waiting for approval and archived guides are absent,
  and so is anything readers left (progress, reports, votes).
- Every answer has an ``ETag`` (of the content version, the language and the address) and a
  matching ``If-None-Match`` gets a 304 before any work; a guide also has ``Last-Modified``.
- Cross-origin reads are open (``guides.api_cors``); clients are rate limited like readers.
"""

import hashlib
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.http import http_date
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname
from ninja import NinjaAPI, Schema

from guides import content_version, devices
from guides.models import SOURCE_LANGUAGE, Guide, Platform, Step
from guides.ratelimit import limit_reached

api = NinjaAPI(
    title="Help center API",
    version="1",
    description="Published platforms and guides, read-only, in each language (?lang=).",
    urls_namespace="api",
    docs_url=None,  # its page loads scripts from a CDN; the OpenAPI document is served
)

API_REQUESTS_PER_WINDOW = 600  # per client and 10 minutes


class PlatformOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    website: str
    url: str
    guides: str  # the API address of its guides


class GuideOut(Schema):
    id: int
    platform: str
    slug: str
    title: str
    summary: str
    estimated_minutes: int
    last_verified_on: str | None
    verified_app_version: str
    last_changed: datetime
    url: str
    api_url: str


class VariantOut(Schema):
    device: str
    title: str
    body: str


class ScreenshotOut(Schema):
    device: str
    language: str
    alt: str
    url: str
    width: int
    height: int


class StepOut(Schema):
    id: int
    position: int
    title: str
    body: str
    surface: str
    url: str
    variants: list[VariantOut]
    screenshots: list[ScreenshotOut]


class GuideDetailOut(GuideOut):
    conclusion: str
    prerequisites: list[str]
    steps: list[StepOut]


class Error(Schema):
    detail: str


def _language(lang: str | None) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    return lang if lang in codes else SOURCE_LANGUAGE


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _guide(guide: Guide) -> dict:
    return {
        "id": guide.pk,
        "platform": guide.platform.slug,
        "slug": guide.slug,
        "title": guide.title,
        "summary": guide.summary,
        "estimated_minutes": guide.estimated_minutes,
        "last_verified_on": guide.last_verified_on.isoformat() if guide.last_verified_on else None,
        "verified_app_version": guide.verified_app_version,
        "last_changed": guide.last_changed,
        "url": _absolute(guide.get_absolute_url()),
        "api_url": _absolute(f"/api/v1/guides/{guide.pk}?lang={translation.get_language()}"),
    }


def _cached_answer(request: HttpRequest, lang: str | None):
    """The ETag of this answer, and a 304 or 429 to send instead of it, if any."""
    if limit_reached(request, "api", limit=API_REQUESTS_PER_WINDOW, seconds=600):
        return None, api.create_response(request, {"detail": _("Too many requests: wait a few minutes.")}, status=429)
    seed = f"{content_version.current()}:{_language(lang)}:{request.get_full_path()}"
    etag = f'"{hashlib.blake2b(seed.encode(), digest_size=12).hexdigest()}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return etag, response
    return etag, None


class PlatformPage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[PlatformOut]


class GuidePage(Schema):
    count: int
    next: str | None
    previous: str | None
    items: list[GuideOut]


PAGE_SIZE = 50


def _page(request: HttpRequest, rows, page: int) -> tuple[list, dict]:
    """One page of ``rows`` (a queryset), with the addresses of the pages around it."""
    count = rows.count()
    items = list(rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])

    def address(number: int) -> str | None:
        if number < 1 or (number - 1) * PAGE_SIZE >= count:
            return None
        query = request.GET.copy()
        query["page"] = str(number)
        return _absolute(f"{request.path}?{query.urlencode()}")

    return items, {"count": count, "next": address(page + 1), "previous": address(page - 1)}


def _listed(request: HttpRequest, etag: str, schema, data: dict) -> HttpResponse:
    response = api.create_response(request, schema(**data).model_dump(mode="json"), status=200)
    response["ETag"] = etag
    return response


@api.get("/platforms", response={200: PlatformPage, 429: Error}, summary="Published platforms")
def platforms(request: HttpRequest, lang: str | None = None, page: int = 1):
    etag, early = _cached_answer(request, lang)
    if early is not None:
        return early
    language = _language(lang)
    with translation.override(language):
        published = Platform.objects.filter(guides__status=Guide.Status.PUBLISHED).distinct().order_by("position", "pk")
        items, around = _page(request, published, max(page, 1))
        listed = [
            {
                "id": platform.pk,
                "slug": platform.slug,
                "name": platform.name,
                "description": platform.description,
                "website": platform.website,
                "url": _absolute(platform.get_absolute_url()),
                "guides": _absolute(f"/api/v1/guides?platform={platform.slug}&lang={language}"),
            }
            for platform in items
        ]
    return _listed(request, etag, PlatformPage, {**around, "items": listed})


@api.get("/guides", response={200: GuidePage, 429: Error}, summary="Published guides")
def guides(request: HttpRequest, lang: str | None = None, platform: str | None = None, page: int = 1):
    etag, early = _cached_answer(request, lang)
    if early is not None:
        return early
    language = _language(lang)
    with translation.override(language):
        found = Guide.objects.published().select_related("platform").order_by("platform__position", "pk")
        if platform:
            found = found.filter(**{build_localized_fieldname("platform__slug", language): platform})
        items, around = _page(request, found, max(page, 1))
        listed = [_guide(guide) for guide in items]
    return _listed(request, etag, GuidePage, {**around, "items": listed})


@api.get(
    "/guides/{guide_id}", response={200: GuideDetailOut, 404: Error, 429: Error}, summary="A guide, with its steps"
)
def guide(request: HttpRequest, guide_id: int, lang: str | None = None):
    etag, early = _cached_answer(request, lang)
    if early is not None:
        return early
    with translation.override(_language(lang)):
        found = get_object_or_404(
            Guide.objects.published().select_related("platform").prefetch_related("prerequisites"), pk=guide_id
        )
        steps = Step.objects.filter(guide=found).order_by("position").prefetch_related("variants", "screenshots")
        data = {
            **_guide(found),
            "conclusion": found.conclusion,
            "prerequisites": [item.text for item in found.prerequisites.all()],
            "steps": [_step(step, found) for step in steps],
        }
    response = api.create_response(request, GuideDetailOut(**data).model_dump(mode="json"), status=200)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(found.last_changed.timestamp())
    return response


def _step(step: Step, guide: Guide) -> dict:
    devices.dress(step)  # screenshots in the language asked, or in another with its language
    shots = [(block.device, block.screenshot) for block in step.device_blocks if block.screenshot]
    if step.common_screenshot:
        shots.insert(0, ("", step.common_screenshot))
    return {
        "id": step.pk,
        "position": step.position,
        "title": step.title,
        "body": step.body,
        "surface": step.surface,
        "url": _absolute(f"{guide.get_absolute_url()}#{step.anchor}"),
        "variants": [
            {"device": variant.device, "title": variant.title, "body": variant.body} for variant in step.variants.all()
        ],
        "screenshots": [
            {
                "device": device,
                "language": shown.screenshot.language,
                "alt": shown.screenshot.alt,
                "url": _absolute(shown.sources.url) if shown.sources.url.startswith("/") else shown.sources.url,
                "width": shown.screenshot.width,
                "height": shown.screenshot.height,
            }
            for device, shown in shots
        ],
    }
