"""Public pages: the home page, a platform's guides and a guide."""

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from guides.forms import GuideVoteForm
from guides.models import Guide, GuideVote, Platform
from guides.progress import progress_of_loaded, steps_for_reader
from guides.readers import reader_key


def _published_guides():
    return Guide.objects.published().select_related("platform")


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    platforms = (
        Platform.objects.filter(guides__status=Guide.Status.PUBLISHED)
        .distinct()
        .prefetch_related(Prefetch("guides", queryset=_published_guides(), to_attr="published_guides"))
    )
    return render(request, "guides/home.html", {"platforms": platforms})


@require_safe
def platform_detail(request: HttpRequest, platform_slug: str) -> HttpResponse:
    platform = get_object_or_404(Platform, slug=platform_slug)
    guides = list(_published_guides().filter(platform=platform))
    if not guides:
        # Until one of its guides is published, a platform is not public either.
        raise Http404
    return render(request, "guides/platform.html", {"platform": platform, "guides": guides})


@require_safe
def guide_detail(request: HttpRequest, platform_slug: str, guide_slug: str) -> HttpResponse:
    # Staff preview any guide exactly as readers will see it; readers only get published ones.
    may_preview = request.user.is_staff and request.user.has_perm("guides.view_guide")
    guides = Guide.objects.select_related("platform") if may_preview else _published_guides()
    guide = get_object_or_404(guides.prefetch_related("prerequisites"), platform__slug=platform_slug, slug=guide_slug)
    reader = reader_key(request)
    steps = steps_for_reader(guide, reader)
    context = {
        "guide": guide,
        "platform": guide.platform,
        "steps": steps,
        "progress": progress_of_loaded(steps),
        "vote": GuideVote.objects.filter(guide=guide, reader_key=reader).first() if reader else None,
        "vote_form": GuideVoteForm(),
        "preview": not guide.is_published,
    }
    response = render(request, "guides/guide.html", context)
    if context["preview"]:
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
    return response
