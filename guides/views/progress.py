"""Readers tick steps off and start over. Each action is a plain form POST answered with a
303 back to the step; htmx requests get the step's fragment and the progress bar instead."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.vary import vary_on_headers

from guides.forms import ProgressForm
from guides.models import Step
from guides.progress import decorate, progress_of, progress_of_loaded, steps_for_reader
from guides.ratelimit import limit_reached
from guides.readers import ensure_reader_key
from guides.views.lookups import published_guide, published_step
from guides.views.responses import HttpResponseSeeOther, refuse, require_post
from helpcenter.cross_origin import refuse_cross_origin

TOO_MANY_ACTIONS = gettext_lazy("That was a lot in a short time. Please wait a few minutes and try again.")


def _too_many_actions(request: HttpRequest) -> bool:
    """Far more than a person ticks steps: a client that keeps no cookie would otherwise create
    progress rows without end."""
    window = settings.GUIDES_REPORT_WINDOW_SECONDS
    return limit_reached(request, "reader-action", limit=settings.GUIDES_ACTIONS_PER_WINDOW, seconds=window)


@refuse_cross_origin
@vary_on_headers("HX-Request")
@require_post
def mark_step(request: HttpRequest, platform_slug: str, guide_slug: str, step_id: int) -> HttpResponse:
    step = published_step(platform_slug, guide_slug, step_id, steps=Step.objects.with_open_report_readers())
    form = ProgressForm(request.POST)
    if not form.is_valid():
        return refuse(request, 400, _("Choose whether the step is done or not."))
    if _too_many_actions(request):
        return refuse(request, 429, TOO_MANY_ACTIONS)
    reader = ensure_reader_key(request, dated=form.cleaned_data["done"])
    if form.cleaned_data["done"]:
        step.mark_done(reader)
        announcement = _("Step %(number)s marked as done.") % {"number": step.position}
    else:
        step.mark_not_done(reader)
        announcement = _("Step %(number)s marked as not done.") % {"number": step.position}
    if not request.htmx:
        return HttpResponseSeeOther(step.get_absolute_url())
    decorate([step], reader)
    guide = step.guide
    context = {
        "step": step,
        "guide": guide,
        "platform": guide.platform,
        "progress": progress_of(guide, reader),
        "announcement": announcement,
    }
    return render(request, "guides/step_updated.html", context)


@refuse_cross_origin
@vary_on_headers("HX-Request")
@require_post
def start_over(request: HttpRequest, platform_slug: str, guide_slug: str) -> HttpResponse:
    guide = published_guide(platform_slug, guide_slug)
    if _too_many_actions(request):
        return refuse(request, 429, TOO_MANY_ACTIONS)
    reader = ensure_reader_key(request, dated=False)
    guide.reset_progress(reader)
    if not request.htmx:
        return HttpResponseSeeOther(f"{guide.get_absolute_url()}#steps-title")
    steps = steps_for_reader(guide, reader)
    context = {
        "guide": guide,
        "platform": guide.platform,
        "steps": steps,
        "progress": progress_of_loaded(steps),
        "announcement": _("Progress cleared: start again at step 1."),
        "focus_first_step": True,
    }
    return render(request, "guides/steps_updated.html", context)
