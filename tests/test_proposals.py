"""An editor without the publish permission changes a published guide: readers keep the
published text, whatever the admin page used, until a publisher approves the proposed change,
reads it as a diff, sends it back with a comment, or edits it further."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from reversion.models import Version

from guides.models import Device, Guide, OutboxMessage, Proposal, Step, StepVariant
from tests.admin_pages import admin_url, restore, save_through_admin, versions_of
from tests.factories import guide_url, make_guide
from tests.html_forms import form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailed(django_user_model, editor, publisher):
    editor.email, publisher.email = "editor@example.org", "publisher@example.org"
    editor.save()
    publisher.save()


def edit_step(client, step, **values):
    def change(fields):
        fields.update(values)

    url = admin_url(step)
    fields = form_fields(client.get(url).content.decode(), "step_form")
    change(fields)
    return client.post(url, fields)


def reader_text(guide, language="en") -> str:
    return Client().get(guide_url(guide, language=language)).content.decode()


def test_an_editors_change_to_a_published_step_waits_for_a_publisher(editor_client, guide, mailed):
    step = guide.steps.get(position=2)
    response = edit_step(editor_client, step, body_en="Do the **new** thing.")
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert Step.objects.get(pk=step.pk).body_en == "Do thing **2**."
    assert "Do thing <strong>2</strong>." in reader_text(guide)
    assert "new" not in reader_text(guide)
    assert (proposal.status, proposal.author.username, proposal.guide_id) == ("waiting", "editor", guide.pk)
    mail = OutboxMessage.objects.get()
    assert mail.bcc == ["publisher@example.org"]
    assert "Un guide" in mail.subject and proposal.get_absolute_url() in mail.body


def test_the_publisher_reads_the_change_as_a_diff_and_approves_it(editor_client, publisher_client, guide, mailed):
    step = guide.steps.get(position=2)
    edit_step(editor_client, step, body_en="Do the new thing.")
    proposal = Proposal.objects.get()
    page = publisher_client.get(proposal.get_absolute_url()).content.decode()
    assert '<th scope="row">Contenu (anglais)</th>' in page  # the field's label, in the admin's language
    assert '<td class="diff">Do <ins>the new </ins>thing<del> **2**.</del><ins>.</ins></td>' in page
    assert 'name="decision" value="approve"' in page

    response = publisher_client.post(proposal.get_absolute_url(), {"decision": "approve", "comment": "Merci !"})
    assert response.status_code == 302
    assert Step.objects.get(pk=step.pk).body_en == "Do the new thing."
    assert "Do the new thing." in reader_text(guide)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reviewed_by.username) == ("approved", "publisher")
    revision = Version.objects.get_for_object(guide).first().revision
    assert "editor" in revision.get_comment() and "Merci !" in revision.get_comment()
    assert revision.user.username == "publisher"
    told = OutboxMessage.objects.filter(to=["editor@example.org"]).get()
    assert "Merci !" in told.body
    history = publisher_client.get(admin_url(guide, "history")).content.decode()
    assert 'id="proposals"' in history and proposal.get_absolute_url() in history


def test_sending_back_needs_a_comment_which_reaches_the_author(editor_client, publisher_client, guide, mailed):
    edit_step(editor_client, guide.steps.get(position=1), title_en="Renamed")
    proposal = Proposal.objects.get()
    empty = publisher_client.post(proposal.get_absolute_url(), {"decision": "send_back", "comment": " "})
    assert empty.status_code == 200
    assert "Dites ce que l" in empty.content.decode() or "Say what the author" in empty.content.decode()
    assert Proposal.objects.get().is_waiting
    publisher_client.post(proposal.get_absolute_url(), {"decision": "send_back", "comment": "Keep the app's word."})
    proposal.refresh_from_db()
    assert proposal.status == "sent_back"
    assert guide.steps.get(position=1).title_en == "Step 1"
    assert "Keep the app's word." in OutboxMessage.objects.get(to=["editor@example.org"]).body
    assert "Keep the app&#x27;s word." in editor_client.get(proposal.get_absolute_url()).content.decode()


def test_only_publishers_decide_and_only_on_waiting_proposals(editor_client, publisher_client, guide):
    edit_step(editor_client, guide.steps.get(position=1), title_en="Renamed")
    proposal = Proposal.objects.get()
    assert editor_client.post(proposal.get_absolute_url(), {"decision": "approve"}).status_code == 403
    assert 'value="approve"' not in editor_client.get(proposal.get_absolute_url()).content.decode()
    publisher = Client(enforce_csrf_checks=True)
    publisher.force_login(get_user_model().objects.get(username="publisher"))
    assert publisher.post(proposal.get_absolute_url(), {"decision": "approve"}).status_code == 403  # no token
    assert guide.steps.get(position=1).title_en == "Step 1"
    publisher_client.post(proposal.get_absolute_url(), {"decision": "approve"})
    again = publisher_client.post(proposal.get_absolute_url(), {"decision": "send_back", "comment": "Too late"})
    assert again.status_code == 403
    assert publisher_client.get("/admin/guides/proposal/999999/change/").status_code == 404


def test_drafts_and_publishers_changes_apply_at_once(editor_client, publisher_client, platform):
    draft = make_guide(platform, slug="draft", status=Guide.Status.DRAFT)
    edit_step(editor_client, draft.steps.get(position=1), title_en="Draft edit")
    assert draft.steps.get(position=1).title_en == "Draft edit"
    published = make_guide(platform, slug="live")
    assert edit_step(publisher_client, published.steps.get(position=1), title_en="Publisher edit").status_code == 302
    assert published.steps.get(position=1).title_en == "Publisher edit"
    assert not Proposal.objects.exists()


def test_every_entry_point_proposes_instead_of_publishing(editor_client, publisher_client, guide):
    """The guide's form (fields, order, a removed step), the step's page, the delete action, a
    restore from history: readers see none of it; each is a proposal."""
    first, _second, third = guide.steps.order_by("position")

    def reorder_and_rename(fields):
        fields["title_en"] = "A renamed guide"
        fields["steps-0-position"], fields["steps-1-position"] = "2", "1"

    save_through_admin(editor_client, guide, reorder_and_rename)
    editor_client.post(
        "/admin/guides/step/", {"action": "delete_selected", "_selected_action": [third.pk], "post": "yes"}
    )
    save_through_admin(publisher_client, first, lambda fields: fields.update(title_en="Publisher's title"))
    save_through_admin(publisher_client, first, lambda fields: fields.update(title_en="Second title"))
    restore(editor_client, first, versions_of(first)[0])  # back to "Publisher's title"

    guide.refresh_from_db()
    assert guide.title_en == "A guide"
    assert list(guide.steps.order_by("position").values_list("title_en", flat=True)) == [
        "Second title",
        "Step 2",
        "Step 3",
    ]
    kinds = [sorted(_what_changed(proposal)) for proposal in Proposal.objects.order_by("pk")]
    assert kinds == [["guide", "order"], ["removed"], ["steps"]]


def _what_changed(proposal) -> set[str]:
    base, proposed = proposal.base, proposal.proposed
    found = set()
    if base["guide"] != proposed["guide"]:
        found.add("guide")
    base_ids = [row["id"] for row in base["steps"]]
    new_ids = [row["id"] for row in proposed["steps"]]
    if set(base_ids) - set(new_ids):
        found.add("removed")
    elif base_ids != new_ids:
        found.add("order")
    elif base["steps"] != proposed["steps"]:
        found.add("steps")
    return found


def test_two_proposals_on_one_guide_both_go_through(editor_client, publisher_client, guide):
    first, second = guide.steps.order_by("position")[:2]
    edit_step(editor_client, first, title_en="First, changed")
    edit_step(editor_client, second, body_en="Second, changed")
    for proposal in Proposal.objects.order_by("pk"):
        publisher_client.post(proposal.get_absolute_url(), {"decision": "approve"})
    assert guide.steps.get(pk=first.pk).title_en == "First, changed"
    assert guide.steps.get(pk=second.pk).body_en == "Second, changed"
    assert Proposal.objects.filter(status="approved").count() == 2


def test_approving_keeps_what_others_saved_since_and_marks_conflicts(editor_client, publisher_client, guide):
    step = guide.steps.get(position=1)
    edit_step(editor_client, step, title_en="Editor's title")
    save_through_admin(publisher_client, step, lambda fields: fields.update(body_en="Publisher's body"))
    save_through_admin(publisher_client, guide, lambda fields: fields.update(summary_en="Publisher's summary"))
    proposal = Proposal.objects.get()
    page = publisher_client.get(proposal.get_absolute_url()).content.decode()
    assert "The guide changed since this was proposed" in page or "a changé depuis" in page
    publisher_client.post(proposal.get_absolute_url(), {"decision": "approve"})
    step.refresh_from_db()
    guide.refresh_from_db()
    assert (step.title_en, step.body_en, guide.summary_en) == (
        "Editor's title",
        "Publisher's body",
        "Publisher's summary",
    )


def test_new_steps_and_variants_of_a_proposal_are_created_on_approval(editor_client, publisher_client, guide):
    step = guide.steps.get(position=3)
    url = admin_url(step)
    fields = form_fields(editor_client.get(url).content.decode(), "step_form")
    fields.update(
        {
            "variants-TOTAL_FORMS": "1",
            "variants-0-device": Device.IOS,
            "variants-0-body_fr": "Sur iPhone, touchez Réglages.",
            "variants-0-body_en": "On iPhone, tap Settings.",
            "variants-0-step": str(step.pk),
        }
    )
    assert editor_client.post(url, fields).status_code == 302
    assert not StepVariant.objects.exists()
    proposal = Proposal.objects.get()
    assert proposal.proposed["steps"][2]["variants"][0]["id"] is None
    page = publisher_client.get(proposal.get_absolute_url()).content.decode()
    assert "On iPhone, tap Settings." in page
    publisher_client.post(proposal.get_absolute_url(), {"decision": "approve"})
    assert StepVariant.objects.get(step=step).body_en == "On iPhone, tap Settings."
    assert "On iPhone, tap Settings." in reader_text(guide)


def test_a_proposal_opens_in_the_guides_form_to_be_edited_further(editor_client, publisher_client, guide):
    save_through_admin(editor_client, guide, lambda fields: fields.update(title_en="Proposed title"))
    proposal = Proposal.objects.get()
    url = f"{admin_url(guide)}?proposal={proposal.pk}"
    page = editor_client.get(url).content.decode()
    assert 'value="Proposed title"' in page
    assert Guide.objects.get(pk=guide.pk).title_en == "A guide"  # opening it changed nothing

    fields = form_fields(page, "guide_form")
    fields["summary_en"] = "A better summary."
    assert editor_client.post(url, fields).status_code == 302
    proposal.refresh_from_db()
    newer = Proposal.objects.exclude(pk=proposal.pk).get()
    assert proposal.status == "replaced"
    assert (newer.proposed["guide"]["title_en"], newer.proposed["guide"]["summary_en"]) == (
        "Proposed title",
        "A better summary.",
    )

    # The publisher edits it further too, and saves: applied with the edits, approved.
    url = f"{admin_url(guide)}?proposal={newer.pk}"
    fields = form_fields(publisher_client.get(url).content.decode(), "guide_form")
    fields["conclusion_en"] = "Well done."
    assert publisher_client.post(url, fields).status_code == 302
    guide.refresh_from_db()
    assert (guide.title_en, guide.summary_en, guide.conclusion_en) == (
        "Proposed title",
        "A better summary.",
        "Well done.",
    )
    newer.refresh_from_db()
    assert newer.status == "approved"


def test_someone_elses_proposal_cannot_be_opened_by_an_editor(editor_client, django_user_model, guide):
    save_through_admin(editor_client, guide, lambda fields: fields.update(title_en="Mine"))
    proposal = Proposal.objects.get()
    other = django_user_model.objects.create_user("bob", password="bob-password-123", is_staff=True)
    other.groups.set(proposal.author.groups.all())
    bob = Client()
    bob.force_login(other)
    page = bob.get(f"{admin_url(guide)}?proposal={proposal.pk}").content.decode()
    assert 'value="Mine"' not in page  # the guide as published
    assert re.search(r"proposed change to this guide waits|modification proposée", page, re.I)
