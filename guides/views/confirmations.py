"""Readers who finished a guide say whether it worked: the freshness readers can trust (see
``guides.guide_page.confirmed_by_readers``). One answer per reader and guide, then, if they
wish, the app version and device they used; nothing else about them is kept."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from guides import content_version, devices, guide_page, page_cache
from guides.forms import ConfirmationDetailsForm, ConfirmationForm
from guides.models import Guide, GuideConfirmation
from guides.ratelimit import limit_reached
from guides.readers import ensure_reader_key, reader_key
from guides.views.progress import TOO_MANY_READERS, published_skeleton, too_many_new_readers
from guides.views.responses import HttpResponseSeeOther, refuse, require_post
from helpcenter.cross_origin import refuse_cross_origin

CONFIRMATIONS_PER_WINDOW = 30


@refuse_cross_origin
@vary_on_headers("HX-Request")
@require_post
def confirm(request: HttpRequest, platform_slug: str, guide_slug: str) -> HttpResponse:
    skeleton = published_skeleton(request, platform_slug, guide_slug)
    state = guide_page.reader_state(skeleton, reader_key(request))
    if not state.progress(skeleton).is_complete:
        return refuse(request, 400, _("Mark every step done first, then tell us whether the guide worked."))
    if too_many_new_readers(request) or limit_reached(
        request, "guide-confirm", limit=CONFIRMATIONS_PER_WINDOW, seconds=600
    ):
        return refuse(request, 429, TOO_MANY_READERS)
    if "details" in request.POST:
        return _details(request, skeleton, state)
    form = ConfirmationForm(request.POST)
    if not form.is_valid():
        return refuse(request, 400, _("Answer yes or no."))
    worked = form.cleaned_data["worked"]
    guide = Guide.objects.select_related("platform").get(pk=skeleton.guide_id)
    before = guide_page.confirmed_by_readers(guide)
    try:
        with transaction.atomic():
            GuideConfirmation.objects.create(
                guide=guide, worked=worked, language=get_language(), reader_key=ensure_reader_key(request)
            )
    except IntegrityError:  # once per reader: a second answer, from another tab, is the first's
        worked = GuideConfirmation.objects.get(guide=guide, reader_key=reader_key(request)).worked
    _show_if_changed(guide, before)
    part = guide_page.confirm_part(skeleton, state, answered=worked)
    if request.htmx:
        return page_cache.own_page(request, part)
    # Without JavaScript, the details are asked on a page of their own.
    context = {"guide": guide, "platform": guide.platform, "part": part, "guide_url": skeleton.guide_url}
    return page_cache.own_page(request, render_to_string("guides/confirm.html", context, request=request))


def _details(request: HttpRequest, skeleton, state) -> HttpResponse:
    form = ConfirmationDetailsForm(request.POST)
    if not form.is_valid():
        return refuse(request, 400, _("The app version is too long."))
    guide = Guide.objects.get(pk=skeleton.guide_id)
    before = guide_page.confirmed_by_readers(guide)
    # Said once: a confirmation's details are not rewritten afterwards.
    GuideConfirmation.objects.filter(guide=guide, reader_key=reader_key(request), app_version="", device="").update(
        app_version=form.cleaned_data["app_version"].strip(), device=form.cleaned_data["device"]
    )
    _show_if_changed(guide, before)
    thanked = guide_page.ReaderState(done_at=state.done_at, confirmed=True)
    return _answer(request, skeleton, guide_page.confirm_part(skeleton, thanked))


def _show_if_changed(guide: Guide, before) -> None:
    """Readers' pages show the latest confirmation: they change when it does, not for each one."""
    if guide_page.confirmed_by_readers(guide) != before:
        content_version.bump()


def _answer(request: HttpRequest, skeleton, part: str) -> HttpResponse:
    if request.htmx:
        return page_cache.own_page(request, part)
    messages.success(request, _("Thank you for your answer."))
    return HttpResponseSeeOther(devices.address(skeleton.guide_url, devices.chosen_before(request), "confirm"))
