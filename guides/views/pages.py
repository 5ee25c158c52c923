"""Public pages: the home page, a platform's guides and a guide.

Readers without cookies of ours all get the same bytes, cached whole by content version
(``guides.page_cache``); a reader with progress gets the guide page put together from cached
parts (``guides.guide_page``). Staff preview unpublished guides, rendered for them alone.
"""

from collections.abc import Callable

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from guides import content_version, devices, guide_page, page_cache
from guides.addresses import follow_moves, in_each_language
from guides.forms import GuideVoteForm
from guides.models import Guide, GuideVote, Platform
from guides.progress import progress_of_loaded, steps_for_reader
from guides.readers import reader_key

# The home page shows the first few guides of each platform; the platform's page shows them all.
HOME_GUIDES_PER_PLATFORM = 6


def _published_guides():
    return Guide.objects.published().select_related("platform")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    def build() -> str:
        platforms = (
            Platform.objects.filter(guides__status=Guide.Status.PUBLISHED)
            .distinct()
            .prefetch_related(Prefetch("guides", queryset=_published_guides(), to_attr="published_guides"))
        )
        context = {"platforms": platforms, "shown": HOME_GUIDES_PER_PLATFORM}
        return render_to_string("guides/home.html", context, request=request)

    return _list_page(request, build)


@follow_moves
@require_safe
def platform_detail(request: HttpRequest, platform_slug: str) -> HttpResponse:
    def build() -> str:
        platform = get_object_or_404(Platform, slug=platform_slug)
        guides = list(_published_guides().filter(platform=platform))
        if not guides:
            # Until one of its guides is published, a platform is not public either.
            raise Http404
        context = {"platform": platform, "guides": guides, "alternates": in_each_language(platform.get_absolute_url)}
        return render_to_string("guides/platform.html", context, request=request)

    return _list_page(request, build)


@follow_moves
@require_safe
def guide_detail(request: HttpRequest, platform_slug: str, guide_slug: str) -> HttpResponse:
    version, device = content_version.current(), devices.chosen(request)
    if page_cache.is_shared(request):
        key = page_cache.shared_page_key(request, version, device)
        return page_cache.shared_page(request, key, lambda: _shared_guide_page(request, version, device))
    skeleton = guide_page.skeleton(request, version, platform_slug, guide_slug, device)
    if skeleton is None:
        return _preview(request, platform_slug, guide_slug)
    state = guide_page.reader_state(skeleton, reader_key(request))
    return page_cache.own_page(request, guide_page.page(request, skeleton, state))


def _shared_guide_page(request: HttpRequest, version: int, device: str) -> str:
    skeleton = guide_page.skeleton(request, version, **request.resolver_match.kwargs, device=device)
    if skeleton is None:
        raise Http404  # staff preview guides with a session: theirs are never shared pages
    return guide_page.page(request, skeleton, guide_page.NOBODY)


def _list_page(request: HttpRequest, build: Callable[[], str]) -> HttpResponse:
    if not page_cache.is_shared(request):
        return page_cache.own_page(request, build())
    return page_cache.shared_page(request, page_cache.shared_page_key(request, content_version.current()), build)


def _preview(request: HttpRequest, platform_slug: str, guide_slug: str) -> HttpResponse:
    """A guide that is not published, as readers will see it, for staff only."""
    if not (request.user.is_staff and request.user.has_perm("guides.view_guide")):
        raise Http404
    guides = Guide.objects.select_related("platform").prefetch_related("prerequisites")
    guide = get_object_or_404(guides, platform__slug=platform_slug, slug=guide_slug)
    reader = reader_key(request)
    steps = steps_for_reader(guide, reader, with_parts=guide_page.STEP_PARTS)
    for step in steps:
        devices.dress(step)
    offered, device = devices.offered(steps), devices.chosen(request)
    context = {
        "devices": offered,
        "device": device if device in dict(offered) else "",
        "guide": guide,
        "platform": guide.platform,
        "guide_url": guide.get_absolute_url(),
        "steps": steps,
        "progress": progress_of_loaded(steps),
        "vote": GuideVote.objects.filter(guide=guide, reader_key=reader).first() if reader else None,
        "vote_form": GuideVoteForm(),
        "labels": guide_page.step_labels(),
        "preview": True,
        "alternates": in_each_language(guide.get_absolute_url),
    }
    response = render(request, "guides/guide.html", context)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response
