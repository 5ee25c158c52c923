"""Two editors on one guide, step or platform: the later save never silently reverts the earlier
one. It is refused, and the form comes back with the other editor's changes merged in, conflicts
listed, and nothing lost once it is saved again."""

import pytest
from django.test import Client

from guides.models import Guide, Platform, Step
from tests.admin_pages import NO_STEP_INLINES, admin_url
from tests.html_forms import form_fields

# What editors save applies at once here; reviews of changes are tested in test_proposals.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("editors_publish")]


@pytest.fixture
def other_editor(django_user_model, editor):
    user = django_user_model.objects.create_user("alice", password="alice-password-123", is_staff=True)
    user.groups.set(editor.groups.all())
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def english_editor(editor):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(editor)
    return client


def open_form(client, obj) -> dict:
    return form_fields(client.get(admin_url(obj)).content.decode(), f"{obj._meta.model_name}_form")


def save(client, obj, fields):
    return client.post(admin_url(obj), fields)


def test_a_later_save_merges_instead_of_reverting_the_earlier_one(english_editor, other_editor, guide):
    mine, theirs = open_form(english_editor, guide), open_form(other_editor, guide)
    theirs.update({"title_en": "Their title", "steps-1-body_en": "Their body."})
    assert save(other_editor, guide, theirs).status_code == 302

    mine.update({"summary_en": "My summary.", "steps-0-title_en": "My first step"})
    refused = save(english_editor, guide, mine)

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Someone else saved this page after you opened it" in page
    assert "Saved by alice after you opened this page" in page
    stored = Guide.objects.get(pk=guide.pk)
    assert (stored.title_en, stored.summary_en) == ("Their title", "Summary of the guide.")

    merged = form_fields(page, "guide_form")
    assert merged["title_en"] == "Their title"
    assert merged["summary_en"] == "My summary."
    assert merged["steps-1-body_en"] == "Their body."
    assert merged["steps-0-title_en"] == "My first step"

    assert save(english_editor, guide, merged).status_code == 302
    stored = Guide.objects.get(pk=guide.pk)
    assert (stored.title_en, stored.summary_en) == ("Their title", "My summary.")
    steps = list(guide.steps.order_by("position").values_list("position", "title_en", "body_en"))
    assert steps[0] == (1, "My first step", "Do thing **1**.")
    assert steps[1] == (2, "Step 2", "Their body.")


def test_a_field_both_editors_changed_is_listed_with_both_texts(english_editor, other_editor, guide):
    mine, theirs = open_form(english_editor, guide), open_form(other_editor, guide)
    theirs["steps-0-body_en"] = "Tap the gear."
    assert save(other_editor, guide, theirs).status_code == 302
    mine["steps-0-body_en"] = "Tap the cog."

    page = save(english_editor, guide, mine).content.decode()

    assert "You both changed these fields" in page
    assert "Tap the gear." in page and "Tap the cog." in page
    assert "<del>gear</del><ins>cog</ins>" in page
    merged = form_fields(page, "guide_form")
    assert merged["steps-0-body_en"] == "Tap the cog."
    assert save(english_editor, guide, merged).status_code == 302  # now a deliberate choice
    assert guide.steps.get(position=1).body_en == "Tap the cog."


def test_a_step_removed_meanwhile_stays_removed_unless_this_editor_changed_it(english_editor, other_editor, guide):
    first, second = guide.steps.get(position=1), guide.steps.get(position=2)
    mine, theirs = open_form(english_editor, guide), open_form(other_editor, guide)
    theirs["steps-0-DELETE"] = theirs["steps-1-DELETE"] = "on"
    assert save(other_editor, guide, theirs).status_code == 302
    mine["steps-1-body_en"] = "I rewrote step two."

    page = save(english_editor, guide, mine).content.decode()
    assert "Removed by someone else." in page
    assert "Removed by someone else, changed by you: saving adds it back." in page
    assert save(english_editor, guide, form_fields(page, "guide_form")).status_code == 302

    assert not Step.objects.filter(pk__in=[first.pk, second.pk]).exists()
    steps = list(guide.steps.order_by("position").values_list("position", "title_en", "body_en"))
    assert sorted(steps, key=lambda step: step[1]) == [
        (2, "Step 2", "I rewrote step two."),
        (1, "Step 3", "Do thing **3**."),
    ]


def test_a_step_added_meanwhile_keeps_its_place(english_editor, other_editor, guide):
    mine = open_form(english_editor, guide)
    added = other_editor.post(
        "/admin/guides/step/add/",
        {"guide": guide.pk, "title_fr": "Ajoutée", "title_en": "Added", "surface": "app", **NO_STEP_INLINES},
    )
    assert added.status_code == 302
    mine["title_en"] = "My title"

    page = save(english_editor, guide, mine).content.decode()
    assert "Added by someone else." in page
    assert save(english_editor, guide, form_fields(page, "guide_form")).status_code == 302

    assert Guide.objects.get(pk=guide.pk).title_en == "My title"
    assert list(guide.steps.order_by("position").values_list("position", "title_en")) == [
        (1, "Step 1"),
        (2, "Step 2"),
        (3, "Step 3"),
        (4, "Added"),
    ]


@pytest.mark.parametrize("target", ["step", "platform"])
def test_the_step_and_platform_admins_merge_too(english_editor, other_editor, guide, target):
    obj = guide.steps.get(position=1) if target == "step" else guide.platform
    text_field = "body_en" if target == "step" else "description_en"
    mine, theirs = open_form(english_editor, obj), open_form(other_editor, obj)
    theirs[text_field] = "Theirs."
    assert save(other_editor, obj, theirs).status_code == 302
    mine["title_en" if target == "step" else "name_en"] = "Mine"

    refused = save(english_editor, obj, mine)
    assert refused.status_code == 200
    merged = form_fields(refused.content.decode(), f"{target}_form")
    assert merged[text_field] == "Theirs."
    assert save(english_editor, obj, merged).status_code == 302

    stored = type(obj).objects.get(pk=obj.pk)
    assert getattr(stored, text_field) == "Theirs."
    assert getattr(stored, "title_en" if target == "step" else "name_en") == "Mine"


@pytest.mark.parametrize("base", [None, "forged"])
def test_a_form_without_a_valid_base_is_never_saved_blindly(english_editor, guide, base):
    fields = open_form(english_editor, guide)
    fields["title_en"] = "Blind"
    if base is None:
        del fields["edit_base"]
    else:
        fields["edit_base"] = base
    page = save(english_editor, guide, fields)
    assert page.status_code == 200
    assert "did not say which version it was opened from" in page.content.decode()
    assert Guide.objects.get(pk=guide.pk).title_en == "A guide"
    assert save(english_editor, guide, form_fields(page.content.decode(), "guide_form")).status_code == 302
    assert Guide.objects.get(pk=guide.pk).title_en == "Blind"


def test_an_unchanged_platform_form_saves_without_a_conflict(english_editor, guide):
    platform = Platform.objects.get(pk=guide.platform_id)
    fields = open_form(english_editor, platform)
    fields["name_en"] = "Demo, renamed"
    assert save(english_editor, platform, fields).status_code == 302
    assert Platform.objects.get(pk=platform.pk).name_en == "Demo, renamed"


def test_a_conflicting_form_claiming_countless_rows_is_handled_within_the_formsets_limit(english_editor, guide):
    fields = open_form(english_editor, guide)
    Guide.objects.filter(pk=guide.pk).update(title_en="Saved meanwhile")
    fields.update({"steps-TOTAL_FORMS": "5000000", "steps-4999999-title_fr": "Far away"})
    response = save(english_editor, guide, fields)
    assert response.status_code == 200
    assert list(guide.steps.order_by("position").values_list("position", flat=True)) == [1, 2, 3]
