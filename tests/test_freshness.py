"""Freshness from evidence: readers who finished a guide confirm it worked, which the guide
shows until its next meaningful change; a platform's app version makes guides checked with an
older major version due for verification and tells readers."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import date_format

from guides import content_version
from guides.models import Guide, GuideConfirmation
from tests.factories import guide_url, make_guide, step_url

pytestmark = pytest.mark.django_db


def finish(reader: Client, guide) -> None:
    for step in guide.steps.order_by("position"):
        assert reader.post(step_url(step, "done"), {"done": "1"}).status_code == 303


def confirm(reader: Client, guide, htmx: bool = True, **fields):
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return reader.post(guide_url(guide, "confirm", "en"), fields, **extra)


def page_of(guide, language="en") -> str:
    return Client().get(guide_url(guide, language=language)).content.decode()


def test_a_reader_who_finished_is_asked_whether_it_worked_and_may_say_which_version(guide):
    reader = Client()
    assert 'id="confirm"' in reader.get(guide_url(guide, language="en")).content.decode()
    assert "did it work?" not in reader.get(guide_url(guide, language="en")).content.decode()
    finish(reader, guide)
    page = reader.get(guide_url(guide, language="en")).content.decode()
    assert "All steps done: did it work?" in page and 'name="worked" value="yes"' in page

    answered = confirm(reader, guide, worked="yes").content.decode()
    assert "other readers will know it still works" in answered and 'name="app_version"' in answered
    confirm(reader, guide, details="1", app_version="34.2", device="android")
    stored = GuideConfirmation.objects.get()
    assert (stored.worked, stored.app_version, stored.device, stored.language) == (True, "34.2", "android", "en")
    with translation.override("en"):
        today = date_format(timezone.localdate(), "DATE_FORMAT")
    assert f"Last confirmed by readers on {today} (app 34.2)" in page_of(guide)
    assert "You confirmed this guide. Thank you!" in reader.get(guide_url(guide, language="en")).content.decode()


def test_a_meaningful_change_resets_what_readers_confirmed_and_a_typo_fix_does_not(guide):
    reader = Client()
    finish(reader, guide)
    confirm(reader, guide, worked="yes")
    assert "Last confirmed by readers on" in page_of(guide)
    step = guide.steps.first()
    step.minor_change = True
    step.body_fr = "Faites la chose **1**, vite."
    step.save()
    assert "Last confirmed by readers on" in page_of(guide)
    step = guide.steps.first()
    step.body_fr = "Faites autre chose."
    step.save()
    assert "Last confirmed by readers on" not in page_of(guide)


def test_a_reader_confirms_once_and_only_once_finished(guide):
    reader = Client()
    reader.post(step_url(guide.steps.first(), "done"), {"done": "1"})
    refused = confirm(reader, guide, htmx=False, worked="yes")
    assert refused.status_code == 400 and "Mark every step done first" in refused.content.decode()
    finish(reader, guide)
    assert confirm(reader, guide, htmx=False, worked="maybe").status_code == 400
    sent = confirm(reader, guide, htmx=False, worked="no")
    assert sent.status_code == 200 and 'name="app_version"' in sent.content.decode()  # its own page
    details = confirm(reader, guide, htmx=False, details="1", app_version="")
    assert details.status_code == 303 and details["Location"].endswith("#confirm")
    confirm(reader, guide, worked="yes")
    assert list(GuideConfirmation.objects.values_list("worked", flat=True)) == [False]
    confirm(reader, guide, details="1", app_version="1" * 41)
    assert GuideConfirmation.objects.get().app_version == ""


def test_the_confirmation_endpoint_refuses_get_cross_site_and_drafts(guide, platform):
    reader = Client()
    finish(reader, guide)
    assert reader.get(guide_url(guide, "confirm", "en")).status_code == 405
    cross = reader.post(guide_url(guide, "confirm", "en"), {"worked": "yes"}, HTTP_SEC_FETCH_SITE="cross-site")
    assert cross.status_code == 403
    draft = make_guide(platform, slug="draft", status=Guide.Status.DRAFT)
    assert reader.post(guide_url(draft, "confirm", "en"), {"worked": "yes"}).status_code == 404
    assert not GuideConfirmation.objects.exists()


def test_readers_saying_it_did_not_work_make_the_guide_due_for_verification(guide, settings):
    settings.GUIDES_REPORT_NOTICE_READERS = 2
    guide.mark_verified("34")
    due = []
    for _reader in range(2):
        reader = Client()
        finish(reader, guide)
        confirm(reader, guide, worked="no")
        due.append(Guide.objects.to_review().filter(pk=guide.pk).exists())
    assert due == [False, True]


def test_a_new_major_app_version_makes_guides_due_and_tells_readers(guide):
    guide.mark_verified("33.4")
    platform = guide.platform
    platform.current_app_version = "33.9"
    platform.save()
    assert not Guide.objects.to_review().filter(pk=guide.pk).exists()
    assert "the app is now at" not in page_of(guide)

    platform.current_app_version = "35.0.1"
    platform.save()
    assert Guide.objects.to_review().filter(pk=guide.pk).exists()
    assert "Checked with version 33.4; the app is now at 35.0.1." in page_of(guide)
    guide.mark_verified("35.0")
    assert not Guide.objects.to_review().filter(pk=guide.pk).exists()
    assert "the app is now at" not in page_of(guide)


def test_the_platform_admin_suggests_the_latest_versions_readers_used(editor_client, guide):
    reader = Client()
    finish(reader, guide)
    confirm(reader, guide, worked="yes")
    confirm(reader, guide, details="1", app_version="35.1")
    page = editor_client.get(f"/admin/guides/platform/{guide.platform.pk}/change/").content.decode()
    assert "35.1" in page


def test_confirmations_keep_a_readers_page_at_three_queries(platform):
    for slug, steps in (("short", 7), ("long", 100)):
        guide = make_guide(platform, slug=slug, steps=steps)
        reader = Client()
        finish(reader, guide)
        confirm(reader, guide, worked="yes")
        reader.get(guide_url(guide, language="en"))
        with CaptureQueriesContext(connection) as queries:
            page = reader.get(guide_url(guide, language="en")).content.decode()
        assert len(queries) == 3
        assert "You confirmed this guide" in page and "Last confirmed by readers on" in page


def test_the_date_shown_is_the_latest_worked_answer(guide):
    first, second = Client(), Client()
    for reader in (first, second):
        finish(reader, guide)
    confirm(first, guide, worked="yes")
    GuideConfirmation.objects.update(created_at=timezone.make_aware(timezone.datetime(2026, 11, 20, 12)))
    Guide.objects.filter(pk=guide.pk).update(changed_at=timezone.make_aware(timezone.datetime(2026, 11, 1)))
    confirm(second, guide, worked="no")  # a "no" is no confirmation
    content_version.bump()  # the dates above were written behind the pages' backs
    assert "Last confirmed by readers on Nov. 20, 2026" in page_of(guide)


def report_from(step, reader: str, app_version: str):
    fields = {"problem": "renamed", "seen_instead": "Autre bouton", "device": "android", "app_version": app_version}
    response = Client(HTTP_COOKIE="").post(step_url(step, "report"), fields)
    assert response.status_code == 303, reader
    return response


def test_reports_from_a_newer_version_say_which_version_changed_the_step(guide, admin_client):
    guide.mark_verified("34.2")
    first, second = guide.steps.order_by("position")[:2]
    report_from(second, "older", "34.9")  # the version it was checked with: not enough on its own
    assert "may have changed in version" not in page_of(guide)
    report_from(first, "newer", "35.1")
    page = page_of(guide)
    first_step = page.split(f'id="step-{first.pk}"')[1].split(f'id="step-{second.pk}"')[0]
    assert "This step may have changed in version 35 of the app." in first_step
    assert page.count("may have changed in version") == 1
    assert "Readers reported that this step may have changed" not in page  # the general notice needs 2
    queue = admin_client.get("/admin/guides/stepreport/queue/").content.decode()
    assert "version 35 : 1 lecteur" in queue or "version 35: 1 reader" in queue
