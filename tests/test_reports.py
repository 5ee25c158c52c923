"""Readers report a step that no longer matches the app: in a minute, with no account."""

from uuid import uuid4

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from guides import triage
from guides.models import Guide, RateLimitCounter, StepReport
from tests.factories import guide_url, make_guide, step_url
from tests.html_forms import form_fields

pytestmark = pytest.mark.django_db

VALID = {
    "problem": "renamed",
    "seen_instead": "The button is now called “Account centre”.",
    "device": "android",
    "app_version": "38.2.1",
    "contact_email": "reader@example.org",
}


def test_the_report_form_has_its_own_page_without_javascript(client, guide):
    step = guide.steps.first()
    response = client.get(step_url(step, "report", "en"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page
    for label in ("What is wrong?", "What do you see instead?", "Your device", "App version (optional)"):
        assert label in page
    assert "Your e-mail (optional)" in page
    assert 'maxlength="1000"' in page


def test_htmx_gets_the_form_alone(htmx, guide):
    response = htmx.get(step_url(guide.steps.first(), "report", "en"))
    body = response.content.decode()
    assert body.lstrip().startswith('<form class="report-form"')
    assert "<html" not in body


def test_a_valid_report_is_stored_with_what_the_design_lists(client, guide):
    step = guide.steps.get(position=2)
    response = client.post(step_url(step, "report", "en"), VALID, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 303
    assert response["Location"] == f"/en/demo/guide/#step-{step.pk}"
    report = StepReport.objects.get()
    assert (report.step, report.language, report.problem, report.device) == (step, "en", "renamed", "android")
    assert report.seen_instead == VALID["seen_instead"]
    assert (report.app_version, report.contact_email) == ("38.2.1", "reader@example.org")
    assert report.status == StepReport.Status.NEW
    assert len(report.reader_key) == 32
    # No raw IP address anywhere in what was stored.
    assert "203.0.113.9" not in str(StepReport.objects.values().get())
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you: your report reached the editors." in thanks


def test_an_htmx_report_answers_with_the_thanks(htmx, guide):
    step = guide.steps.first()
    response = htmx.post(step_url(step, "report", "fr"), VALID)
    body = response.content.decode()
    assert response.status_code == 200
    assert f'<div class="thanks" id="report-form-{step.pk}"' in body
    assert "Merci" in body
    assert StepReport.objects.get().language == "fr"


def test_errors_are_shown_in_place_in_the_readers_language(htmx, guide):
    step = guide.steps.first()
    response = htmx.post(step_url(step, "report", "fr"), {**VALID, "seen_instead": "", "contact_email": "nope"})
    body = response.content.decode()
    assert response.status_code == 422
    assert body.lstrip().startswith('<form class="report-form"')
    assert "Ce champ est obligatoire." in body
    assert "Saisissez une adresse de courriel valide." in body
    assert StepReport.objects.count() == 0


def test_errors_without_javascript_show_the_form_page_again(client, guide):
    response = client.post(step_url(guide.steps.first(), "report", "en"), {**VALID, "device": "fridge"})
    assert response.status_code == 422
    assert "Select a valid choice." in response.content.decode()
    assert StepReport.objects.count() == 0


def test_oversize_text_is_refused(client, guide):
    response = client.post(step_url(guide.steps.first(), "report", "en"), {**VALID, "seen_instead": "x" * 1001})
    assert response.status_code == 422
    assert "at most 1000 characters" in response.content.decode()
    assert StepReport.objects.count() == 0


def test_one_open_report_per_reader_per_step(client, guide):
    step = guide.steps.first()
    assert client.post(step_url(step, "report", "en"), VALID).status_code == 303
    again = client.post(step_url(step, "report", "en"), VALID)
    assert again.status_code == 409
    assert "You already reported this step" in again.content.decode()
    assert "You already reported this step" in client.get(step_url(step, "report", "en")).content.decode()
    assert StepReport.objects.count() == 1
    # Once editors closed it, the reader may report the step again (later: not a double submit).
    StepReport.objects.update(status=StepReport.Status.FIXED)
    assert client.post(step_url(step, "report", "en"), VALID).status_code == 303
    assert StepReport.objects.count() == 2


def test_the_honeypot_refuses_and_stores_nothing(client, guide):
    response = client.post(step_url(guide.steps.first(), "report", "en"), {**VALID, "website": "http://spam"})
    assert response.status_code == 400
    assert "could not be sent" in response.content.decode()
    assert StepReport.objects.count() == 0


@override_settings(GUIDES_REPORTS_PER_WINDOW=2)
def test_the_rate_limit_answers_429_with_a_readable_message(guide):
    steps = list(guide.steps.all())
    for step in steps[:2]:
        assert Client().post(step_url(step, "report", "en"), VALID, REMOTE_ADDR="198.51.100.7").status_code == 303
    response = Client().post(step_url(steps[2], "report", "en"), VALID, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert "Please wait a few minutes" in response.content.decode()
    assert StepReport.objects.count() == 2
    # Another client is not affected.
    assert Client().post(step_url(steps[2], "report", "en"), VALID, REMOTE_ADDR="198.51.100.8").status_code == 303


def test_steps_reported_by_enough_readers_show_a_notice(guide):
    step = guide.steps.first()
    notice = "Readers reported that this step may have changed"
    Client().post(step_url(step, "report", "en"), VALID, REMOTE_ADDR="192.0.2.1")
    assert notice not in Client().get(guide_url(guide, language="en")).content.decode()
    Client().post(step_url(step, "report", "en"), VALID, REMOTE_ADDR="192.0.2.2")
    assert notice in Client().get(guide_url(guide, language="en")).content.decode()
    triage.handle(StepReport.objects.all(), StepReport.Status.DISMISSED, editor=None)
    assert notice not in Client().get(guide_url(guide, language="en")).content.decode()


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_reporting_refuses_other_methods(client, guide, method):
    response = getattr(client, method)(step_url(guide.steps.first(), "report"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    assert "formulaire" in response.content.decode()


def test_reporting_refuses_a_request_from_another_site(guide):
    url = step_url(guide.steps.first(), "report", "en")
    assert Client().post(url, VALID, HTTP_SEC_FETCH_SITE="same-site").status_code == 403
    assert StepReport.objects.count() == 0


def test_reporting_refuses_another_guides_or_a_drafts_step(client, guide):
    other = make_guide(guide.platform, slug="other")
    draft = make_guide(guide.platform, slug="draft", status=Guide.Status.DRAFT)
    assert client.post(f"/en/demo/guide/steps/{other.steps.first().pk}/report/", VALID).status_code == 404
    assert client.post(step_url(draft.steps.first(), "report", "en"), VALID).status_code == 404
    assert client.get(step_url(draft.steps.first(), "report", "en")).status_code == 404
    assert client.post("/en/demo/guide/steps/424242/report/", VALID).status_code == 404
    assert StepReport.objects.count() == 0


def test_opening_the_form_writes_nothing(client, guide):
    response = client.get(step_url(guide.steps.first(), "report"))
    assert "sessionid" not in response.cookies


def report_form(client, step) -> dict:
    """The report form's fields as a browser would send them, filled in with VALID."""
    fields = form_fields(client.get(step_url(step, "report", "en")).content.decode(), f"report-form-{step.pk}")
    return {**fields, **VALID}


def test_the_same_form_sent_twice_counts_once(guide):
    step = guide.steps.first()
    fields = report_form(Client(), step)
    first = Client().post(step_url(step, "report", "en"), fields)
    second = Client().post(step_url(step, "report", "en"), fields)  # a double click, before any cookie
    assert (first.status_code, second.status_code) == (303, 409)
    assert StepReport.objects.count() == 1
    assert (
        "Readers reported that this step may have changed"
        not in Client().get(guide_url(guide, language="en")).content.decode()
    )


def test_two_readers_behind_one_address_both_reach_the_editors(guide):
    step = guide.steps.first()
    for reader in (Client(REMOTE_ADDR="192.0.2.4"), Client(REMOTE_ADDR="192.0.2.4")):
        assert reader.post(step_url(step, "report", "en"), report_form(reader, step)).status_code == 303
    assert StepReport.objects.values("reader_key").distinct().count() == 2


@override_settings(GUIDES_REPORTS_PER_WINDOW=2)
def test_the_rate_limit_does_not_live_in_the_cache(guide):
    steps = list(guide.steps.all())
    for step in steps:
        cache.clear()  # another process, or a cache that restarted, must not reset the count
        Client().post(step_url(step, "report", "en"), VALID, REMOTE_ADDR="198.51.100.9")
    assert StepReport.objects.count() == 2


def test_a_report_refused_for_the_rate_limit_can_be_sent_again_later(guide, settings):
    settings.GUIDES_REPORTS_PER_WINDOW = 1
    first, second = guide.steps.order_by("position")[:2]
    reader = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert reader.post(step_url(first, "report", "en"), report_form(reader, first)).status_code == 303
    refused = report_form(reader, second)
    assert reader.post(step_url(second, "report", "en"), refused).status_code == 429

    settings.GUIDES_REPORTS_PER_WINDOW = 5  # as when the window has passed
    assert reader.post(step_url(second, "report", "en"), refused).status_code == 303
    assert StepReport.objects.count() == 2


def test_a_flood_of_refused_reports_stores_nothing_per_request(guide, settings):
    settings.GUIDES_REPORTS_PER_WINDOW = 2
    step = guide.steps.first()
    fields = report_form(Client(), step)
    for _ in range(20):
        Client().post(step_url(step, "report", "en"), {**fields, "submission": uuid4().hex})
    assert StepReport.objects.count() == 2
    assert RateLimitCounter.objects.count() == 1
