"""Readers tell us a step no longer matches the app, and whether the guide helped."""

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from guides import content_version, devices
from guides.addresses import in_each_language
from guides.app_versions import major
from guides.forms import GuideVoteForm, StepReportForm
from guides.models import GuideVote
from guides.ratelimit import first_use, limit_reached
from guides.readers import ensure_reader_key, is_new_reader, reader_key
from guides.views.lookups import published_guide, published_step
from guides.views.responses import HttpResponseSeeOther, refuse, require_methods, require_post
from helpcenter.clients import client_fingerprint
from helpcenter.cross_origin import refuse_cross_origin

VOTES_PER_WINDOW = 30
NEW_VOTERS_PER_WINDOW = 5  # per address and guide


def _already_reported(request: HttpRequest, step) -> HttpResponse:
    message = _("You already reported this step. Editors are checking it; thank you.")
    if request.method == "POST":
        return refuse(request, 409, message)
    template = "guides/report.html#report-notice" if request.htmx else "guides/report.html"
    context = {"step": step, "guide": step.guide, "platform": step.guide.platform, "notice": message}
    return render(request, template, {**context, "alternates": _report_addresses(step)})


@refuse_cross_origin
@vary_on_headers("HX-Request")
@require_methods("GET", "POST")
def report_step(request: HttpRequest, platform_slug: str, guide_slug: str, step_id: int) -> HttpResponse:
    step = published_step(platform_slug, guide_slug, step_id)
    if step.has_open_report_from(reader_key(request)):
        return _already_reported(request, step)
    form = StepReportForm(request.POST if request.method == "POST" else None, initial=_seen(request, step))
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        if form.is_spam():
            return refuse(request, 400, _("Your report could not be sent."))
        if valid:
            return _save_report(request, form, step)
        status = 422
    template = "guides/report.html#report-form" if request.htmx else "guides/report.html"
    context = {"form": form, "step": step, "guide": step.guide, "platform": step.guide.platform}
    return render(request, template, {**context, "alternates": _report_addresses(step)}, status=status)


def _seen(request: HttpRequest, step) -> dict[str, str]:
    """What the reader was shown: the device they chose on the guide page (htmx sends it; a
    plain link leaves it in the page's address), and so the step's variant for it, if any."""
    device = devices.chosen(request) or devices.chosen_before(request)
    if not device:
        return {}
    variant = device if step.variants.filter(device=device).exists() else ""
    return {"device": device, "variant": variant}


def _newer_than_checked(report, guide) -> bool:
    reported = major(report.app_version)
    return reported is not None and guide.verified_major is not None and reported > guide.verified_major


def _report_addresses(step) -> dict[str, str]:
    guide = step.guide
    return in_each_language(lambda: reverse("guides:step-report", args=[guide.platform.slug, guide.slug, step.pk]))


def _save_report(request: HttpRequest, form: StepReportForm, step) -> HttpResponse:
    if limit_reached(
        request,
        "step-report",
        limit=settings.GUIDES_REPORTS_PER_WINDOW,
        seconds=settings.GUIDES_REPORT_WINDOW_SECONDS,
    ):
        return refuse(
            request, 429, _("You sent several reports in a short time. Please wait a few minutes and try again.")
        )
    report = form.save(commit=False)
    report.step = step
    report.language = get_language()
    report.reader_key = ensure_reader_key(request)
    report.submission = form.cleaned_data["submission"]
    if report.variant and not step.variants.filter(device=report.variant).exists():
        report.variant = ""  # a variant this step does not have (any more): its common text
    try:
        with transaction.atomic():
            report.save()
            if step.reports.open().values("reader_key").distinct().count() == settings.GUIDES_REPORT_NOTICE_READERS:
                content_version.bump()  # enough readers now: every page of the guide shows the notice
            elif _newer_than_checked(report, step.guide):
                content_version.bump()  # the guide's pages may now say which version changed the step
    except IntegrityError:  # the same form sent twice, or a second tab, a moment ago
        return _already_reported(request, step)
    thanks = _("Thank you: your report reached the editors.")
    if not request.htmx:
        messages.success(request, thanks)
        return HttpResponseSeeOther(devices.address(step.guide.get_absolute_url(), report.variant, step.anchor))
    context = {"step": step, "report": report, "thanks": thanks}
    return render(request, "guides/report.html#report-thanks", context)


@refuse_cross_origin
@vary_on_headers("HX-Request")
@require_post
def vote(request: HttpRequest, platform_slug: str, guide_slug: str) -> HttpResponse:
    guide = published_guide(platform_slug, guide_slug)
    form = GuideVoteForm(request.POST)
    context = {"guide_url": guide.get_absolute_url(), "vote_form": form}
    if not form.is_valid():
        if request.htmx:
            return render(request, "guides/guide.html#vote", context, status=422)
        return refuse(request, 400, " ".join(error for errors in form.errors.values() for error in errors))
    # "No" first, then what could be better: a form of its own, which keeps the answer.
    follow_up = "reason" in request.POST
    values = form.cleaned_data if follow_up else {"helpful": form.cleaned_data["helpful"], "reason": ""}
    vote = None
    if _counts(request, guide):
        vote, _created = GuideVote.objects.update_or_create(
            guide=guide, reader_key=ensure_reader_key(request), defaults={**values, "language": get_language()}
        )
    if not follow_up and not values["helpful"]:
        context["vote"] = vote or GuideVote(helpful=False)  # asks what could be better
    context["voted"] = True
    if not request.htmx:
        messages.success(request, _("Thank you for your answer."))
        return HttpResponseSeeOther(devices.address(context["guide_url"], devices.chosen_before(request), "vote"))
    return render(request, "guides/guide.html#vote", context)


def _counts(request: HttpRequest, guide) -> bool:
    """Like a ballot box, a vote that should not count is thanked all the same, not counted: from
    a client voting far too often, or a further new voter on this guide from one address. A
    client that sends no cookie back would be a new voter each time, and any action gives a new
    reader key: an address brings at most one such voter, or a few with cookies, per window."""
    window = settings.GUIDES_REPORT_WINDOW_SECONDS
    if limit_reached(request, "guide-vote", limit=VOTES_PER_WINDOW, seconds=window):
        return False
    if is_new_reader(request):
        return first_use("cookieless-voter", f"{guide.pk}:{client_fingerprint(request)}", seconds=window)
    if GuideVote.objects.filter(guide=guide, reader_key=reader_key(request)).exists():
        return True  # a reader changing their answer
    return not limit_reached(request, f"new-voter:{guide.pk}", limit=NEW_VOTERS_PER_WINDOW, seconds=window)
