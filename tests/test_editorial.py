"""Editors keep guides right: review before publishing, previews, verification, translations
that fall behind their French source, and reports fixed when a step is saved."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone, translation

from guides.groups import PUBLISHERS
from guides.models import Guide, OutboxMessage, Proposal, Step, StepReport
from tests.factories import guide_url, make_guide
from tests.html_forms import form_fields

pytestmark = pytest.mark.django_db


def change_url(guide) -> str:
    return f"/admin/guides/guide/{guide.pk}/change/"


@pytest.fixture
def publisher_client(client, editor):
    editor.groups.add(Group.objects.get(name=PUBLISHERS))
    client.force_login(editor)
    return client


def post_guide(client, guide, **changes):
    fields = form_fields(client.get(change_url(guide)).content.decode(), "guide_form")
    fields.update(changes)
    return client.post(change_url(guide), fields)


# Review workflow


def test_an_editor_without_the_permission_can_submit_for_approval_but_not_publish(editor_client, platform):
    guide = make_guide(platform, status=Guide.Status.DRAFT)
    page = editor_client.get(change_url(guide)).content.decode()
    assert 'name="_submit_for_review"' in page  # a button, not a status to pick
    assert 'name="status"' not in page and 'name="_approve"' not in page

    assert post_guide(editor_client, guide, status="published", _approve="1").status_code == 302
    guide.refresh_from_db()
    assert guide.status == Guide.Status.DRAFT  # neither the field nor the button is theirs

    assert post_guide(editor_client, guide, _submit_for_review="1").status_code == 302
    guide.refresh_from_db()
    assert (guide.status, guide.submitted_by.username) == (Guide.Status.IN_REVIEW, "editor")


def test_a_submission_tells_the_publishers_and_its_approval_the_author(editor, editor_client, publisher, platform):
    editor.email, publisher.email = "editor@example.org", "publisher@example.org"
    editor.save()
    publisher.save()
    guide = make_guide(platform, status=Guide.Status.DRAFT)
    post_guide(editor_client, guide, _submit_for_review="1", review_comment="Ready, I think.")
    submitted = OutboxMessage.objects.get()
    assert submitted.bcc == ["publisher@example.org"] and "Ready, I think." in submitted.body

    publisher_client = Client()
    publisher_client.force_login(publisher)
    page = publisher_client.get(change_url(guide)).content.decode()
    assert 'name="_approve"' in page and 'name="_send_back"' in page
    refused = post_guide(publisher_client, guide, _send_back="1")
    assert refused.status_code == 200 and "Dites ce que l" in refused.content.decode()
    post_guide(publisher_client, guide, _approve="1", review_comment="Merci.")
    guide.refresh_from_db()
    assert guide.is_published
    approved = OutboxMessage.objects.filter(to=["editor@example.org"]).get()
    assert "Merci." in approved.body
    history = publisher_client.get(f"{change_url(guide).removesuffix('change/')}history/").content.decode()
    assert "Soumis pour approbation. Ready, I think." in history and "Approuvé et publié. Merci." in history


def test_a_guide_sent_back_is_a_draft_again_and_its_author_knows_why(editor, editor_client, publisher, platform):
    editor.email = "editor@example.org"
    editor.save()
    guide = make_guide(platform, status=Guide.Status.DRAFT)
    post_guide(editor_client, guide, _submit_for_review="1")
    publisher_client = Client()
    publisher_client.force_login(publisher)
    post_guide(publisher_client, guide, _send_back="1", review_comment="Step 3 is missing a screenshot.")
    guide.refresh_from_db()
    assert guide.status == Guide.Status.DRAFT
    assert "Step 3 is missing a screenshot." in OutboxMessage.objects.get(to=["editor@example.org"]).body


def test_an_editor_without_the_permission_cannot_unpublish(editor_client, guide):
    page = editor_client.get(change_url(guide)).content.decode()
    assert 'name="status"' not in page
    assert post_guide(editor_client, guide, status="draft", title_en="Edited").status_code == 302
    guide.refresh_from_db()
    # Published, and unchanged until a publisher approves the change (see test_proposals).
    assert (guide.status, guide.title_en) == (Guide.Status.PUBLISHED, "A guide")
    assert Proposal.objects.get(guide=guide).proposed["guide"]["title_en"] == "Edited"


def test_a_publisher_can_publish(publisher_client, platform):
    guide = make_guide(platform, status=Guide.Status.IN_REVIEW)
    assert post_guide(publisher_client, guide, status="published").status_code == 302
    guide.refresh_from_db()
    assert guide.is_published


def test_staff_preview_a_draft_exactly_as_readers_would_see_it(editor_client, platform):
    make_guide(platform, slug="draft", status=Guide.Status.DRAFT, title_en="Secret draft")
    response = editor_client.get("/en/demo/draft/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Secret draft" in page and "Preview: this guide is" in page
    assert "inert" in page
    assert response["X-Robots-Tag"] == "noindex"
    assert "private" in response["Cache-Control"]


def test_readers_never_see_drafts_or_previews(platform, django_user_model):
    make_guide(platform, slug="draft", status=Guide.Status.DRAFT)
    assert Client().get("/en/demo/draft/").status_code == 404
    someone = Client()
    someone.force_login(django_user_model.objects.create_user("reader", password="x-long-password-1"))
    assert someone.get("/en/demo/draft/").status_code == 404


def test_a_preview_banner_never_shows_on_a_published_guide(editor_client, guide):
    assert "Preview: this guide is" not in editor_client.get(guide_url(guide, language="en")).content.decode()


# Freshness


def test_mark_as_verified_records_today_and_the_app_version(editor_client, guide):
    response = editor_client.post(
        "/admin/guides/guide/",
        {"action": "mark_verified", "_selected_action": [guide.pk], "app_version": "39.0.1"},
    )
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.last_verified_on == timezone.localdate()
    assert guide.verified_app_version == "39.0.1"
    assert "Last verified by an editor on" in Client().get(guide_url(guide, language="en")).content.decode()


def test_guides_to_review_are_stale_or_have_confirmed_reports(editor_client, platform, settings):
    settings.GUIDES_VERIFY_EVERY_DAYS = 90
    today = timezone.localdate()
    fresh = make_guide(platform, slug="fresh", last_verified_on=today)
    stale = make_guide(platform, slug="stale", last_verified_on=today - datetime.timedelta(days=91))
    never = make_guide(platform, slug="never")
    reported = make_guide(platform, slug="reported", last_verified_on=today)
    StepReport.objects.create(
        step=reported.steps.first(),
        language="fr",
        problem="moved",
        seen_instead="x",
        device="ios",
        reader_key="r" * 32,
        status=StepReport.Status.CONFIRMED,
    )
    draft = make_guide(platform, slug="draft", status=Guide.Status.DRAFT)
    due = set(Guide.objects.to_review())
    assert {stale, never, reported} <= due
    assert fresh not in due and draft not in due
    listing = editor_client.get("/admin/guides/guide/?review=due").content.decode()
    assert f"/admin/guides/guide/{stale.pk}/change/" in listing
    assert f"/admin/guides/guide/{fresh.pk}/change/" not in listing


# Translation tracking


def test_a_french_change_marks_the_english_field_out_of_date(guide):
    step = Step.objects.get(guide=guide, position=1)
    step.body_fr = "Nouveau texte."
    step.save()
    assert step.outdated_translations == ["body"]
    step = Step.objects.get(pk=step.pk)
    step.body_en = "New text."
    step.save()
    assert Step.objects.get(pk=step.pk).outdated_translations == []


def test_a_minor_french_change_keeps_translations_current(guide):
    guide = Guide.objects.get(pk=guide.pk)
    guide.title_fr = "Un guide."
    guide.minor_change = True
    guide.save()
    assert Guide.objects.get(pk=guide.pk).outdated_translations == []


def test_changing_both_languages_together_leaves_nothing_out_of_date(guide):
    guide = Guide.objects.get(pk=guide.pk)
    guide.title_fr, guide.title_en = "Titre", "Title"
    guide.save()
    assert guide.outdated_translations == []


def test_an_untranslated_field_is_not_out_of_date_but_missing(platform):
    guide = make_guide(platform, title_en="")
    guide = Guide.objects.get(pk=guide.pk)
    guide.title_fr = "Autre titre"
    guide.save()
    assert guide.outdated_translations == []


def test_english_readers_see_that_the_french_original_changed(guide):
    guide = Guide.objects.get(pk=guide.pk)
    guide.summary_fr = "Résumé revu."
    guide.save()
    note = "The French original changed since this was translated"
    assert note in Client().get(guide_url(guide, language="en")).content.decode()
    assert "original" not in Client().get(guide_url(guide, language="fr")).content.decode()


@pytest.mark.usefixtures("editors_publish")
def test_the_admin_lists_translations_to_update_and_offers_minor_changes(editor_client, guide):
    assert 'name="minor_change"' in editor_client.get(change_url(guide)).content.decode()
    assert post_guide(editor_client, guide, title_fr="Titre corrigé", minor_change="on").status_code == 302
    assert Guide.objects.get(pk=guide.pk).outdated_translations == []
    assert (
        post_guide(editor_client, guide, **{"title_fr": "Titre changé", "steps-0-body_fr": "Autre."}).status_code == 302
    )
    assert Guide.objects.get(pk=guide.pk).outdated_translations == ["title"]
    assert Step.objects.get(guide=guide, position=1).outdated_translations == ["body"]
    guides = editor_client.get("/admin/guides/guide/?translation=outdated").content.decode()
    steps = editor_client.get("/admin/guides/step/?translation=outdated").content.decode()
    assert change_url(guide) in guides
    assert "Étape 1" in steps and "Étape 2" not in steps


# Reports fixed when a step is saved


def open_report(step, reader="a") -> StepReport:
    return StepReport.objects.create(
        step=step, language="en", problem="renamed", seen_instead="x", device="web", reader_key=reader * 32
    )


@pytest.mark.usefixtures("editors_publish")
def test_saving_a_step_with_open_reports_offers_to_mark_them_fixed(editor_client, editor, guide):
    step = guide.steps.get(position=1)
    first, second = open_report(step, "a"), open_report(step, "b")
    url = f"/admin/guides/step/{step.pk}/change/"
    with translation.override("en"):
        page = editor_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="mark_reports_fixed"' in page
    fields = form_fields(page, "step_form")
    fields.update(body_fr="Corrigé.", body_en="Fixed.", mark_reports_fixed="on")
    assert editor_client.post(url, fields).status_code == 302
    for report in (first, second):
        report.refresh_from_db()
        assert report.status == StepReport.Status.FIXED
        assert report.handled_by == editor


def test_a_step_without_open_reports_offers_nothing(editor_client, guide):
    step = guide.steps.get(position=1)
    page = editor_client.get(f"/admin/guides/step/{step.pk}/change/").content.decode()
    assert 'name="mark_reports_fixed"' not in page


@pytest.mark.usefixtures("editors_publish")
def test_editing_a_reported_step_inline_points_to_its_reports(editor_client, guide):
    step = guide.steps.get(position=2)
    open_report(step)
    response = post_guide(editor_client, guide, **{"steps-1-body_en": "Rewritten."})
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(f"/admin/guides/step/{step.pk}/change/" in m for m in messages)


def test_line_breaks_sent_by_browsers_do_not_count_as_changes(editor_client, guide):
    step = guide.steps.get(position=1)
    Step.objects.filter(pk=step.pk).update(body_fr="Ligne un.\nLigne deux.", body_en="Line one.\nLine two.")
    before = Step.objects.get(pk=step.pk).updated_at
    fields = form_fields(editor_client.get(change_url(guide)).content.decode(), "guide_form")
    fields = {name: value.replace("\n", "\r\n") for name, value in fields.items()}
    fields["steps-0-body_fr"] = "Ligne un.\r\nLigne deux."
    assert editor_client.post(change_url(guide), fields).status_code == 302
    after = Step.objects.get(pk=step.pk)
    assert after.updated_at == before
    assert after.body_fr == "Ligne un.\nLigne deux."


def test_an_editor_cannot_delete_a_published_guide(editor_client, guide):
    assert editor_client.get(f"/admin/guides/guide/{guide.pk}/delete/").status_code == 403
    listing = editor_client.get("/admin/guides/guide/").content.decode()
    assert "delete_selected" not in listing
    draft = make_guide(guide.platform, slug="draft", status=Guide.Status.DRAFT)
    assert editor_client.get(f"/admin/guides/guide/{draft.pk}/delete/").status_code == 200


@pytest.mark.usefixtures("editors_publish")
def test_deleting_a_step_keeps_the_others_numbered_one_to_n(editor_client, guide):
    second = guide.steps.get(position=2)
    assert editor_client.post(f"/admin/guides/step/{second.pk}/delete/", {"post": "yes"}).status_code == 302
    assert list(guide.steps.order_by("position").values_list("position", "title_fr")) == [
        (1, "Étape 1"),
        (2, "Étape 3"),
    ]


def test_the_translation_column_names_fields_in_the_editors_language(editor_client, guide):
    guide = Guide.objects.get(pk=guide.pk)
    guide.summary_fr = "Nouveau résumé."
    guide.save()
    listing = editor_client.get("/admin/guides/guide/?translation=outdated").content.decode()
    assert '<td class="field-translations_to_update">résumé</td>' in listing
