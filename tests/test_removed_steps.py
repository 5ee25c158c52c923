"""Readers' reports outlive their step: a step deleted in the step admin, removed on the guide's
form or taken away by restoring an older version of the guide keeps its reports, open, attached
to the guide and saying what the reader was looking at; every page and e-mail about reports
handles a removed step."""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guides import triage
from guides.models import Guide, Step, StepReport
from tests.admin_pages import admin_url, post_restore_page, save_through_admin, versions_of
from tests.factories import make_guide, make_report, step_url
from tests.html_forms import form_fields

# What editors save applies at once here; reviews of changes are tested in test_proposals.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("editors_publish")]

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
REPORTS = "/admin/guides/stepreport/"
QUEUE = f"{REPORTS}queue/"


def guide_form(client, guide, **changes):
    url = f"/admin/guides/guide/{guide.pk}/change/"
    fields = form_fields(client.get(url).content.decode(), "guide_form")
    fields.update(changes)
    return client.post(url, fields, **ENGLISH)


def assert_kept_without_its_step(report: StepReport, guide: Guide, title: str, number: int) -> None:
    report.refresh_from_db()
    assert report.step is None
    assert (report.guide, report.step_title, report.step_number) == (guide, title, number)
    assert report.status == StepReport.Status.NEW  # still open: an editor decides what it becomes


# What a report keeps of its step


def test_a_report_keeps_its_guide_and_the_step_number_and_title_the_reader_saw(client, guide):
    step = guide.steps.get(position=2)
    assert client.post(step_url(step, "report", "en"), {"problem": "moved", "seen_instead": "x", "device": "ios"})

    report = StepReport.objects.get()
    assert (report.guide, report.original_step_id, report.step_number, report.step_title) == (
        guide,
        step.pk,
        2,
        "Step 2",
    )


def test_it_keeps_the_french_title_an_english_reader_was_shown_for_want_of_a_translation(guide):
    step = guide.steps.get(position=1)
    Step.objects.filter(pk=step.pk).update(title_en="")
    step.refresh_from_db()

    assert make_report(step, "a", language="en").step_title == "Étape 1"
    assert make_report(step, "b", language="fr").step_title == "Étape 1"


# Every way a step goes away


@pytest.mark.parametrize("how", ["delete view", "delete action"])
def test_deleting_a_step_in_the_step_admin_keeps_its_reports(editor_client, guide, how):
    step = guide.steps.get(position=2)
    report = make_report(step, language="en")

    if how == "delete view":
        response = editor_client.post(f"/admin/guides/step/{step.pk}/delete/", {"post": "yes"}, **ENGLISH)
    else:
        action = {"action": "delete_selected", "_selected_action": [step.pk], "post": "yes"}
        response = editor_client.post("/admin/guides/step/", action, **ENGLISH)

    assert response.status_code == 302
    assert not Step.objects.filter(pk=step.pk).exists()
    assert_kept_without_its_step(report, guide, "Step 2", 2)
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert any(
        "“Step 2” was removed; its open reports from readers stay open." in message
        and f'href="{REPORTS}?original_step_id={step.pk}"' in message
        for message in told
    )


def test_deleting_a_step_with_the_admin_in_french_keeps_its_reports_too(editor_client, guide):
    step = guide.steps.get(position=3)
    report = make_report(step)

    response = editor_client.post(f"/admin/guides/step/{step.pk}/delete/", {"post": "yes"}, HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 302
    assert_kept_without_its_step(report, guide, "Étape 3", 3)
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("« Étape 3 »" in m and f"?original_step_id={step.pk}" in m for m in told)


def test_removing_a_step_on_the_guide_form_keeps_its_reports(editor_client, guide):
    step = guide.steps.get(position=2)
    report = make_report(step)

    response = guide_form(editor_client, guide, **{"steps-1-DELETE": "on"})

    assert response.status_code == 302
    assert list(guide.steps.values_list("title_fr", flat=True)) == ["Étape 1", "Étape 3"]
    assert_kept_without_its_step(report, guide, "Étape 2", 2)
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("“Step 2” was removed; its open reports from readers stay open." in m for m in told)


def test_restoring_a_version_of_the_guide_without_the_step_keeps_its_reports(editor_client, guide):
    save_through_admin(editor_client, guide)
    without_the_new_step = versions_of(guide)[0]
    guide_form(
        editor_client,
        guide,
        **{
            "steps-TOTAL_FORMS": "4",
            "steps-3-title_fr": "Nouvelle",
            "steps-3-title_en": "New",
            "steps-3-surface": "app",
        },
    )
    added = guide.steps.get(title_fr="Nouvelle")
    report = make_report(added, language="en")

    url = f"{admin_url(guide, 'history')}{without_the_new_step.pk}/"
    restored = post_restore_page(editor_client, url, "guide", confirm_removal=str(added.pk))
    assert restored.status_code == 302 and restored["Location"] != url

    assert not Step.objects.filter(pk=added.pk).exists()
    assert_kept_without_its_step(report, guide, "New", 4)


def test_completions_still_go_with_their_step(client, guide):
    step = guide.steps.get(position=1)
    client.post(step_url(step, "done"), {"done": "1"})
    assert step.completions.count() == 1

    step.delete()

    assert not step.completions.model.objects.exists()


# Where reports are shown and used


@pytest.fixture
def removed_step(guide) -> Step:
    """Step 2 reported by a French and an English reader, then deleted; step 1 reported too."""
    step = guide.steps.get(position=2)
    make_report(step, "fr-reader", language="fr", app_version="38.1")
    make_report(step, "en-reader", language="en", device=StepReport.Device.IOS, seen_instead="The menu is gone.")
    make_report(guide.steps.get(position=1), "fr-reader")
    step_id = step.pk
    step.delete()
    step.pk = step_id
    return step


def test_the_queue_groups_a_removed_steps_reports_under_its_title(editor_client, guide, removed_step):
    response = editor_client.get(QUEUE, **ENGLISH)

    [gone] = [item for item in response.context["reported_steps"] if item.step is None]
    assert (gone.guide, gone.title, gone.readers) == (guide, "Step 2", 2)
    assert gone.devices == ["Android", "iPhone or iPad (iOS)"]
    page = response.content.decode()
    assert "Removed step: Step 2" in page
    assert "The menu is gone." in page
    assert f'href="{REPORTS}?original_step_id={removed_step.pk}"' in page


def test_the_queue_and_the_report_list_keep_their_queries_with_removed_steps(editor_client, platform):
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(url).status_code == 200
        return len(captured)

    guide = make_guide(platform, steps=6, slug="many")
    steps = list(guide.steps.all())
    for step in steps[:2]:
        make_report(step, "a")
    before = (queries(QUEUE), queries(REPORTS))
    for step in steps[2:]:
        make_report(step, "a")
        make_report(step, "b", language="en")
        step.delete()

    assert (queries(QUEUE), queries(REPORTS)) == before


def test_the_queue_shows_a_removed_step_in_the_editors_language_where_a_reader_used_it(
    editor_client, guide, removed_step
):
    page = editor_client.get(QUEUE, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Étape 2" in page


def test_a_removed_steps_reports_can_still_be_handled(editor_client, editor, guide, removed_step):
    listing = editor_client.get(f"{REPORTS}?original_step_id={removed_step.pk}", **ENGLISH)
    reports = list(listing.context["cl"].result_list)
    assert len(reports) == 2
    assert "Removed step: Step 2" in listing.content.decode()

    action = {"action": "dismiss", "_selected_action": [report.pk for report in reports]}
    assert editor_client.post(REPORTS, action).status_code == 302

    assert set(StepReport.objects.filter(step__isnull=True).values_list("status", "handled_by")) == {
        (StepReport.Status.DISMISSED, editor.pk)
    }
    assert not [item for item in editor_client.get(QUEUE).context["reported_steps"] if item.step is None]


def test_the_report_list_filters_reports_of_removed_steps(editor_client, guide, removed_step):
    removed = editor_client.get(f"{REPORTS}?removed=yes").context["cl"].result_list
    kept = editor_client.get(f"{REPORTS}?removed=no").context["cl"].result_list
    by_guide = editor_client.get(f"{REPORTS}?guide__id__exact={guide.pk}").context["cl"].result_list

    assert {report.reader_key for report in removed} == {"fr-reader", "en-reader"}
    assert [report.step.position for report in kept] == [1]
    assert len(by_guide) == 3


def test_a_report_of_a_removed_step_opens_and_saves_in_the_admin(editor_client, editor, guide, removed_step):
    report = StepReport.objects.get(reader_key="en-reader")
    url = f"{REPORTS}{report.pk}/change/"

    page = editor_client.get(url, **ENGLISH).content.decode()

    assert "Removed step: Step 2" in page
    assert "/admin/guides/step/" not in page.split('id="content-main"')[1]  # no link to a step that is gone
    fields = form_fields(page, "stepreport_form")
    fields["status"] = StepReport.Status.CONFIRMED
    assert editor_client.post(url, fields, **ENGLISH).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.handled_by) == (StepReport.Status.CONFIRMED, editor)


def test_a_confirmed_report_of_a_removed_step_still_puts_its_guide_up_for_review(platform):
    guide = make_guide(platform, slug="verified-today", last_verified_on=timezone.localdate())
    step = guide.steps.get(position=1)
    make_report(step, status=StepReport.Status.CONFIRMED)

    step.delete()

    assert list(Guide.objects.to_review().filter(pk=guide.pk)) == [guide]


def test_the_funnel_shows_the_steps_left_and_ignores_removed_ones(editor_client, guide, removed_step):
    response = editor_client.get(f"/admin/guides/guide/{guide.pk}/funnel/")

    assert response.status_code == 200
    assert [(row.title, row.reports) for row in response.context["rows"]] == [("Étape 1", 1), ("Étape 3", 0)]


def test_reports_of_a_removed_step_never_show_a_notice_to_readers(guide, removed_step, settings):
    settings.GUIDES_REPORT_NOTICE_READERS = 1
    page = Client().get(f"/en/{guide.platform.slug}/{guide.slug}/").content.decode()
    assert page.count("Readers reported that this step may have changed") == 1  # step 1 only


def test_the_fix_notice_of_a_removed_step_names_it_and_links_to_its_guide(editor, guide, removed_step, mailoutbox):
    StepReport.objects.filter(reader_key="en-reader").update(contact_email="reader@example.org")

    triage.handle(StepReport.objects.filter(step__isnull=True), StepReport.Status.FIXED, editor)
    call_command("send_outbox")

    [message] = mailoutbox
    assert message.subject == "The step you reported is fixed: Step 2"
    assert "“Step 2” of the guide “A guide”" in message.body
    assert f"See the guide:\n{settings.SITE_URL}/en/demo/guide/\n" in message.body


def test_the_digest_lists_a_removed_step_after_the_steps_left(editor, guide, removed_step, mailoutbox, settings):
    settings.GUIDES_EDITORS_LANGUAGE = "en"
    editor.email = "editor@example.org"
    editor.save()

    call_command("send_report_digest", stdout=StringIO())

    [message] = mailoutbox
    lines = [line.strip() for line in message.body.splitlines()]
    assert lines[lines.index("A guide (3 reports)") + 1 :][:2] == [
        "- Step 1: Step 1 (1 report)",
        "- Removed step: Step 2 (2 reports)",
    ]
