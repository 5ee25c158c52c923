"""Readers tick steps off and start over. Each action is a plain form POST answered with a
303 back to the step; htmx requests get the step's part and the progress bar instead, from the
guide page's cached parts (``guides.guide_page``): a tick costs three queries, the version, the
write and the reader's progress."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.vary import vary_on_headers

from guides import content_version, devices, guide_page, page_cache
from guides.addresses import moved_guide
from guides.forms import ProgressForm
from guides.models import GuideConfirmation, StepCompletion
from guides.ratelimit import limit_reached
from guides.readers import ensure_reader_key, is_new_reader
from guides.templatetags.slots import MARKER
from guides.views.responses import HttpResponseSeeOther, refuse, require_post
from helpcenter.cross_origin import refuse_cross_origin

TOO_MANY_READERS = gettext_lazy("That was a lot in a short time. Please wait a few minutes and try again.")


@refuse_cross_origin
@vary_on_headers("HX-Request")
@require_post
def mark_step(request: HttpRequest, platform_slug: str, guide_slug: str, step_id: int) -> HttpResponse:
    form = ProgressForm(request.POST)
    if not form.is_valid():
        return refuse(request, 400, _("Choose whether the step is done or not."))
    skeleton = published_skeleton(request, platform_slug, guide_slug)
    facts = skeleton.step(step_id)
    if facts is None:  # another guide's step, or none
        raise Http404
    if too_many_new_readers(request):
        return refuse(request, 429, TOO_MANY_READERS)
    done = form.cleaned_data["done"]
    reader = ensure_reader_key(request, dated=done)
    StepCompletion.objects.record(reader, step_id, done)
    if not request.htmx:
        return HttpResponseSeeOther(devices.address(skeleton.guide_url, devices.chosen_before(request), facts.anchor))
    state = guide_page.reader_state(skeleton, reader, with_vote=False)
    template = _("Step %(number)s marked as done.") if done else _("Step %(number)s marked as not done.")
    parts = [
        *guide_page.step_parts(skeleton, (facts,), state),
        guide_page.progress_part(skeleton, state, out_of_band=True),
        _announcement(template % {"number": facts.position}),
    ]
    progress = state.progress(skeleton)
    if progress.is_complete or (not done and progress.done == progress.total - 1):  # "Did it work?" comes or goes
        parts.append(guide_page.confirm_part(skeleton, _with_confirmation(skeleton, state, reader), out_of_band=True))
    html = "".join(parts)
    return page_cache.own_page(request, html)


@refuse_cross_origin
@vary_on_headers("HX-Request")
@require_post
def start_over(request: HttpRequest, platform_slug: str, guide_slug: str) -> HttpResponse:
    skeleton = published_skeleton(request, platform_slug, guide_slug)
    if too_many_new_readers(request):
        return refuse(request, 429, TOO_MANY_READERS)
    reader = ensure_reader_key(request, dated=False)
    StepCompletion.objects.filter(reader_key=reader, step_id__in=[facts.pk for facts in skeleton.steps]).delete()
    if not request.htmx:
        return HttpResponseSeeOther(devices.address(skeleton.guide_url, devices.chosen_before(request), "steps-title"))
    steps = "".join(guide_page.step_parts(skeleton, skeleton.steps, guide_page.NOBODY, autofocus_first=True))
    html = "".join(
        [
            render_to_string(f"{guide_page.TEMPLATE}#steps", {"skeleton": True}).replace(MARKER.format("steps"), steps),
            guide_page.progress_part(skeleton, guide_page.NOBODY, out_of_band=True),
            guide_page.confirm_part(skeleton, guide_page.NOBODY, out_of_band=True),
            _announcement(_("Progress cleared: start again at step 1.")),
        ]
    )
    return page_cache.own_page(request, html)


def _with_confirmation(skeleton, state, reader: str):
    """The state with whether the reader already confirmed the guide: asked only when needed."""
    confirmed = GuideConfirmation.objects.filter(guide_id=skeleton.guide_id, reader_key=reader).exists()
    return guide_page.ReaderState(done_at=state.done_at, confirmed=confirmed)


def published_skeleton(request: HttpRequest, platform_slug: str, guide_slug: str) -> guide_page.Skeleton:
    version = content_version.current()
    skeleton = guide_page.skeleton(request, version, platform_slug, guide_slug)
    if skeleton is None and (moved := moved_guide(platform_slug, guide_slug)) is not None:
        skeleton = guide_page.skeleton(request, version, moved.platform.slug, moved.slug)
    if skeleton is None:
        raise Http404
    return skeleton


def too_many_new_readers(request: HttpRequest) -> bool:
    """Far more new readers from one address than people: a client that keeps no cookie would
    otherwise create readers, and their rows, without end. Readers with a key are not counted."""
    if not is_new_reader(request):
        return False
    window = settings.GUIDES_REPORT_WINDOW_SECONDS
    return limit_reached(request, "new-reader", limit=settings.GUIDES_NEW_READERS_PER_WINDOW, seconds=window)


def _announcement(text: str) -> str:
    return format_html('<div id="announcer" hx-swap-oob="innerHTML">{}</div>', text)
